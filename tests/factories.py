"""Factories and personas. Posts and threads are made through the services, so counters
in tests are the real ones."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from parley.forums import services
from parley.forums.models import Category, Forum, Post, ReactionType, Thread
from parley.members.models import Member

PASSWORD = "correct horse battery staple"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda m: f"{m.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    # Confirmed by default; pass email_confirmed_at=None for a member who has not yet.
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _after_postgeneration(cls, instance: Member, create: bool, results: Any = None) -> None:
        if create:
            instance.save(update_fields=["password"])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    title = factory.Sequence(lambda n: f"Category {n}")


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Forum {n}")


def make_thread(
    forum: Forum,
    author: Member,
    title: str = "A thread",
    body: str = "First post",
    fmt: str = "bbcode",
) -> Thread:
    return services.start_thread(author=author, forum=forum, title=title, source=body, fmt=fmt)


def make_reply(thread: Thread, author: Member, body: str = "A reply", fmt: str = "bbcode") -> Post:
    return services.reply_to_thread(author=author, thread=thread, source=body, fmt=fmt)


def reaction(name: str) -> ReactionType:
    return ReactionType.objects.get(name=name)


def signup_data(**fields: str) -> dict[str, str]:
    """A sign-up form as a person sends it: served a minute ago, honeypot left empty."""
    import time

    from parley.members.forms import signup_started_token

    return {"started": signup_started_token(time.time() - 60), "website": "", **fields}
