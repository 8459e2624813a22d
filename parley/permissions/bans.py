"""E-mail, domain and IP/CIDR bans: checked at sign-up (e-mail and address) and when posting
(address). The lists are small and read once per check."""

from __future__ import annotations

import ipaddress

from django.db.models import Q
from django.utils import timezone

from .models import BannedAddress, BannedEmail

BANNED_ADDRESS_MESSAGE = "Posting and signing up are not possible from your network."
BANNED_EMAIL_MESSAGE = "Sign-ups with that e-mail address are not accepted."


def address_banned(ip: str | None) -> bool:
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    now = timezone.now()
    for network in BannedAddress.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    ).values_list("network", flat=True):
        try:
            if address in ipaddress.ip_network(network.strip(), strict=False):
                return True
        except ValueError:
            continue  # a malformed row in the admin must not stop the check
    return False


def email_banned(email: str) -> bool:
    email = (email or "").strip().lower()
    if "@" not in email:
        return False
    domain = email.rsplit("@", 1)[1]
    for pattern in BannedEmail.objects.values_list("pattern", flat=True):
        pattern = pattern.strip().lower()
        if not pattern:
            continue
        if "@" in pattern and not pattern.startswith("@"):
            if pattern == email:
                return True
            continue
        banned_domain = pattern.lstrip("@")
        if domain == banned_domain or domain.endswith("." + banned_domain):
            return True
    return False
