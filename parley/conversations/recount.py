"""Rebuild the conversation counters from the messages: one grouped query, and writes only
for the rows that differ. Run by `parley recount_conversations`."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max

from parley.forums.recount import Correction

from .models import Conversation, Message


def recount_conversations() -> list[Correction]:
    corrections: list[Correction] = []
    with transaction.atomic():
        rows = {
            r["conversation_id"]: r
            for r in Message.objects.values("conversation_id").annotate(
                n=Count("id"), last=Max("id")
            )
        }
        times = dict(
            Message.objects.filter(pk__in=[r["last"] for r in rows.values()]).values_list(
                "id", "created_at"
            )
        )
        for c in Conversation.objects.only(
            "pk", "message_count", "last_message_id", "last_message_at"
        ):
            row = rows.get(c.pk)
            want = {
                "message_count": row["n"] if row else 0,
                "last_message_id": row["last"] if row else None,
            }
            if row:
                want["last_message_at"] = times[row["last"]]
            changed = {}
            for field, value in want.items():
                if getattr(c, field) != value:
                    corrections.append(
                        Correction("Conversation", c.pk, field, getattr(c, field), value)
                    )
                    changed[field] = value
            if changed:
                Conversation.objects.filter(pk=c.pk).update(**changed)
    return corrections
