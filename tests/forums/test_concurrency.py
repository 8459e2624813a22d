"""Many members reply and react at the same moment, on real connections to the real database
(SQLite file in WAL mode, or PostgreSQL); afterwards every counter must already be exact:
`recount_all` finds nothing to fix."""

from __future__ import annotations

import random
import threading
import traceback

import pytest
from django.db import close_old_connections, connection

from parley.forums import services
from parley.forums.models import Forum, Post, Reaction, ReactionType, Thread
from parley.forums.recount import recount_all
from parley.members.models import Member
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

WORKERS = 8
ROUNDS = 12


def run_together(jobs: list) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def wrap(job) -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)
            traceback.print_exc()
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return errors


def test_concurrent_replies_and_reactions_leave_exact_counters() -> None:
    forum: Forum = ForumFactory()
    members: list[Member] = [MemberFactory() for _ in range(WORKERS)]
    thread: Thread = make_thread(forum, members[0], title="Busy thread")
    seed_posts = [make_reply(thread, m, "seed") for m in members]
    types = list(ReactionType.objects.all())
    replies_made = [0] * WORKERS

    def worker(index: int) -> None:
        close_old_connections()
        rng = random.Random(index)
        me = members[index]
        for round_ in range(ROUNDS):
            services.reply_to_thread(
                author=me, thread=thread, source=f"{index}/{round_}", fmt="bbcode"
            )
            replies_made[index] += 1
            target = rng.choice([p for p in seed_posts if p.author_id != me.pk])
            if rng.random() < 0.2:
                services.remove_reaction(member=me, post=target)
            else:
                services.react_to_post(member=me, post=target, reaction_type=rng.choice(types))
            if round_ % 4 == 0:
                services.start_thread(
                    author=me, forum=forum, title=f"t{index}-{round_}", source="x", fmt="bbcode"
                )

    errors = run_together([lambda i=i: worker(i) for i in range(WORKERS)])
    assert errors == []

    thread.refresh_from_db()
    assert thread.reply_count == len(seed_posts) + sum(replies_made)
    assert thread.last_post_id == Post.objects.filter(thread=thread).latest("id").pk
    assert recount_all() == []


def test_same_member_reacting_twice_at_once_counts_once() -> None:
    author, fan = MemberFactory(), MemberFactory()
    thread = make_thread(ForumFactory(), author)
    post = Post.objects.get(pk=thread.first_post_id)
    like = ReactionType.objects.get(name="Like")
    dislike = ReactionType.objects.get(name="Dislike")

    def react(kind: ReactionType) -> None:
        close_old_connections()
        services.react_to_post(member=fan, post=post, reaction_type=kind)

    errors = run_together([lambda k=k: react(k) for k in [like, dislike] * 3])
    assert errors == []
    assert Reaction.objects.filter(post=post).count() == 1
    author.refresh_from_db()
    assert author.reaction_score == Reaction.objects.get(post=post).type.score
    assert recount_all() == []
