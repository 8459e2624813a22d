"""`parley recount` for what people keeps copied on the member row, for the thread page's
sake (no join per post): the ignore list (`Member.ignored_ids`) and the values shown on the
member card (`Member.card_fields`). Rebuilt from the Ignore and FieldValue rows; a copy
that drifted (a raw SQL fix, an import) is corrected and reported like any counter."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction

from parley.core import stamps
from parley.forums.recount import Correction

from .models import Ignore
from .services import card_fields_of


def recount_people_copies() -> list[Correction]:
    Member = get_user_model()
    corrections: list[Correction] = []
    with transaction.atomic():
        ignored: dict[int, list[int]] = defaultdict(list)
        for member_id, ignored_id in Ignore.objects.order_by("ignored_id").values_list(
            "member_id", "ignored_id"
        ):
            ignored[member_id].append(ignored_id)
        rows = Member.objects.values_list("pk", "ignored_ids", "card_fields")
        for pk, stored_ignored, stored_card in rows.iterator(chunk_size=2000):
            want_ignored = ignored.get(pk, [])
            if list(stored_ignored or []) != want_ignored:
                corrections.append(
                    Correction("Member", pk, "ignored_ids", stored_ignored, want_ignored)
                )
                Member.objects.filter(pk=pk).update(ignored_ids=want_ignored)
            want_card = card_fields_of(pk) if stored_card or _has_values(pk) else []
            if list(stored_card or []) != want_card:
                corrections.append(Correction("Member", pk, "card_fields", stored_card, want_card))
                Member.objects.filter(pk=pk).update(card_fields=want_card)
        if corrections:
            stamps.bump_on_commit(stamps.SITE)  # cards on guests' pages
    return corrections


def _has_values(member_id: int) -> bool:
    from .models import FieldValue

    return FieldValue.objects.filter(member_id=member_id, field__on_card=True).exists()
