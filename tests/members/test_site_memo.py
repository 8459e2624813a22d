"""The title ladder and reaction types are kept per process until the site stamp moves
(stamps.per_site): no query while nothing changed, the change itself seen at once."""

from __future__ import annotations

from typing import Any

import pytest

from parley.forums.models import ReactionType
from parley.forums.queries import decorate_posts
from parley.members.models import TitleRung
from parley.members.titles import Ladder

pytestmark = pytest.mark.django_db


def test_the_ladder_is_read_once_while_the_site_is_unchanged(
    django_assert_num_queries: Any,
) -> None:
    Ladder.load()
    with django_assert_num_queries(0):
        Ladder.load()


def test_a_new_rung_is_on_the_ladder_at_once_though_it_was_memoised() -> None:
    before = Ladder.load()
    TitleRung.objects.create(title="Old hand", min_messages=123_456)
    after = Ladder.load()
    assert "Old hand" not in before.titles
    assert after.title_for(123_456) == "Old hand"


def test_a_renamed_reaction_type_shows_at_once_though_types_were_memoised(
    first_post: Any, django_assert_num_queries: Any
) -> None:
    decorate_posts([first_post], None)
    like = ReactionType.objects.get(name="Like")
    like.name = "Agree"
    like.save()
    (view,) = decorate_posts([first_post], None)
    assert view.buttons[0][1] == "Agree"
