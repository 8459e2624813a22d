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

from .models import FieldValue, Ignore


def recount_people_copies() -> list[Correction]:
    Member = get_user_model()
    corrections: list[Correction] = []
    with transaction.atomic():
        ignored: dict[int, list[int]] = defaultdict(list)
        for member_id, ignored_id in Ignore.objects.order_by("ignored_id").values_list(
            "member_id", "ignored_id"
        ):
            ignored[member_id].append(ignored_id)
        # The card values of every member in one query (not two per member).
        cards: dict[int, list[list[str]]] = defaultdict(list)
        for member_id, label, value in (
            FieldValue.objects.filter(field__on_card=True)
            .order_by("member_id", "field__position", "field__pk")
            .values_list("member_id", "field__label", "value")
        ):
            cards[member_id].append([label, value])
        rows = Member.objects.values_list("pk", "ignored_ids", "card_fields")
        for pk, stored_ignored, stored_card in rows.iterator(chunk_size=2000):
            want_ignored = ignored.get(pk, [])
            if list(stored_ignored or []) != want_ignored:
                corrections.append(
                    Correction("Member", pk, "ignored_ids", stored_ignored, want_ignored)
                )
                Member.objects.filter(pk=pk).update(ignored_ids=want_ignored)
            want_card = cards.get(pk, [])
            if list(stored_card or []) != want_card:
                corrections.append(Correction("Member", pk, "card_fields", stored_card, want_card))
                Member.objects.filter(pk=pk).update(card_fields=want_card)
        if corrections:
            stamps.bump_on_commit(stamps.SITE)  # cards on guests' pages
    return corrections
