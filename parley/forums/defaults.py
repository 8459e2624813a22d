"""Reaction types a new forum starts with (admins edit them). Positive reactions raise the
author's reaction score by one, Sad and Angry are felt but not scored, Dislike lowers it."""

from typing import Any

DEFAULT_REACTIONS: tuple[tuple[str, str, int], ...] = (
    ("Like", "👍", 1),
    ("Love", "❤️", 1),
    ("Haha", "😂", 1),
    ("Wow", "😮", 1),
    ("Sad", "😢", 0),
    ("Angry", "😠", 0),
    ("Dislike", "👎", -1),
)


def ensure_default_reactions(reaction_model: Any) -> None:
    """Create the default reaction types that are missing (used by the data migration, and by
    tests that flush the database)."""
    for position, (name, emoji, score) in enumerate(DEFAULT_REACTIONS):
        reaction_model.objects.get_or_create(
            name=name, defaults={"emoji": emoji, "score": score, "position": position}
        )
