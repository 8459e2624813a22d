"""An optional StopForumSpam look-up at sign-up (`PARLEY_STOPFORUMSPAM=1`).

It asks whether the e-mail or the client address is listed, through the guarded fetcher
(the only way Parley reaches the network). It fails open: if the service cannot be reached
or answers nonsense, the sign-up goes through and the failure is logged, so an outage of a
third party never closes the forum to new members.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

from django.conf import settings

from parley.core.fetch import FetchError, fetch

log = logging.getLogger(__name__)


def is_listed(*, email: str, ip: str) -> bool:
    if not settings.PARLEY_STOPFORUMSPAM:
        return False
    query = urlencode({"email": email, "ip": ip, "json": ""})
    url = f"{settings.PARLEY_STOPFORUMSPAM_URL}?{query}"
    try:
        result = fetch(url, max_bytes=64_000, deadline=5.0, accept="application/json")
        data = json.loads(result.text())
    except (FetchError, ValueError) as exc:
        log.warning("StopForumSpam check failed, sign-up let through: %r", exc)
        return False
    if not isinstance(data, dict) or data.get("success") != 1:
        log.warning("StopForumSpam answered without success, sign-up let through")
        return False
    return any(
        isinstance(data.get(field), dict) and bool(data[field].get("appears"))
        for field in ("email", "ip")
    )
