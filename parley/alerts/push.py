"""The push channel: alerts' notices handed to the web push app, which queues one task per
member who has subscribed a browser (members without a device cost one query per 500)."""

from __future__ import annotations

from dataclasses import asdict

from parley.webpush.notices import PushNotice
from parley.webpush.services import deliver_notices

from .channels import Notice


def push_notices(notices: list[Notice]) -> None:
    deliver_notices([PushNotice(**asdict(notice)) for notice in notices])
