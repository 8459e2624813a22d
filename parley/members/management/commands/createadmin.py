from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parley.members.models import Member


class Command(BaseCommand):
    help = (
        "Create an administrator (staff and superuser). The password comes from "
        "--password, else PARLEY_ADMIN_PASSWORD, else a prompt."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@localhost")
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if Member.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A member named {username!r} exists already.")
        password = options["password"] or os.environ.get("PARLEY_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        candidate = Member(username=username, email=options["email"])
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        Member.objects.create_superuser(
            username=username,
            email=options["email"],
            password=password,
            email_confirmed_at=timezone.now(),  # the operator's own address: no mail round trip
        )
        self.stdout.write(f"Created administrator {username}. Sign in at /admin/.")
