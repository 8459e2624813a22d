"""The permission matrix: eight personas over every page and action of forums and
moderation. 404 where the thing is not visible to the persona, 403 where it is visible but
not allowed, a redirect to sign-in for guests on pages that need an account, 200/302 where
allowed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from parley.forums.models import ReactionType
from tests.modworld import PERSONAS, World, build_world

pytestmark = pytest.mark.django_db

LOGIN = "login"
STAFF = ("mod_here", "supermod", "admin")  # may moderate the world's main forum
SUPER = ("supermod", "admin")


@dataclass(frozen=True)
class Action:
    name: str
    method: str
    url: Callable[[World], str]
    expect: dict[str, Any]
    data: Callable[[World], dict[str, Any]] | None = None


def grid(default: Any, guest: Any = None, **overrides: Any) -> dict[str, Any]:
    """Expected answers: `default` for everyone, then the guest, then named personas (a
    tuple of names as key is spelled with `only=` in the callers below)."""
    table = dict.fromkeys(PERSONAS, default)
    if guest is not None:
        table["guest"] = guest
    table.update(overrides)
    return table


def allow(personas: tuple[str, ...], ok: Any, otherwise: Any, guest: Any = LOGIN) -> dict[str, Any]:
    table = dict.fromkeys(PERSONAS, otherwise)
    table.update(dict.fromkeys(personas, ok))
    table["guest"] = guest
    return table


def _like(w: World) -> dict[str, Any]:
    return {"type": str(ReactionType.objects.get(name="Like").pk)}


def _thread_act(action: str, **extra: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"action": action, "reason": "matrix", **extra}


ACTIONS = [
    # reading
    Action("index", "get", lambda w: "/", grid(200)),
    Action("forum page", "get", lambda w: f"/forums/{w.forum.pk}/", grid(200)),
    Action(
        "hidden forum page",
        "get",
        lambda w: f"/forums/{w.staff_forum.pk}/",
        allow(SUPER, 200, 404, guest=404),
    ),
    Action(
        "members-only forum page",
        "get",
        lambda w: f"/forums/{w.members_forum.pk}/",
        grid(200, guest=404),
    ),
    Action("thread page", "get", lambda w: f"/threads/{w.thread.pk}/", grid(200)),
    Action("locked thread page", "get", lambda w: f"/threads/{w.locked.pk}/", grid(200)),
    Action(
        "hidden thread page",
        "get",
        lambda w: f"/threads/{w.staff_thread.pk}/",
        allow(SUPER, 200, 404, guest=404),
    ),
    Action(
        "members-only thread page",
        "get",
        lambda w: f"/threads/{w.members_thread.pk}/",
        grid(200, guest=404),
    ),
    Action("post redirect", "get", lambda w: f"/posts/{w.reply.pk}/", grid(302)),
    Action("deleted post redirect", "get", lambda w: f"/posts/{w.deleted.pk}/", grid(302)),
    Action(
        "pending post redirect",
        "get",
        lambda w: f"/posts/{w.pending.pk}/",
        allow(STAFF, 302, 404, guest=404),
    ),
    Action(
        "hidden post redirect",
        "get",
        lambda w: f"/posts/{w.staff_thread.first_post_id}/",
        allow(SUPER, 302, 404, guest=404),
    ),
    Action(
        "post history",
        "get",
        lambda w: f"/posts/{w.reply.pk}/history/",
        allow(STAFF, 200, 404, guest=404),
    ),
    # writing
    Action(
        "start thread",
        "get",
        lambda w: f"/forums/{w.forum.pk}/new/",
        grid(200, guest=LOGIN, banned=403),
    ),
    Action(
        "start thread in hidden forum",
        "get",
        lambda w: f"/forums/{w.staff_forum.pk}/new/",
        allow(SUPER, 200, 404),
    ),
    Action(
        "start thread in members-only forum",
        "get",
        lambda w: f"/forums/{w.members_forum.pk}/new/",
        grid(200, guest=LOGIN, banned=403),
    ),
    Action(
        "reply page",
        "get",
        lambda w: f"/threads/{w.thread.pk}/reply/",
        grid(200, guest=LOGIN, banned=403),
    ),
    Action(
        "reply sent",
        "post",
        lambda w: f"/threads/{w.thread.pk}/reply/",
        grid(302, guest=LOGIN, banned=403),
        data=lambda w: {"source": "Matrix reply", "format": "bbcode"},
    ),
    Action(
        "reply to locked thread",
        "get",
        lambda w: f"/threads/{w.locked.pk}/reply/",
        allow(STAFF, 200, 403),
    ),
    Action(
        "reply where a group has never",
        "get",
        lambda w: f"/threads/{w.muted_thread.pk}/reply/",
        grid(200, guest=LOGIN, banned=403, member=403),
    ),
    Action(
        "reply in hidden forum",
        "get",
        lambda w: f"/threads/{w.staff_thread.pk}/reply/",
        allow(SUPER, 200, 404),
    ),
    Action(
        "edit someone else's post",
        "get",
        lambda w: f"/posts/{w.reply.pk}/edit/",
        allow(STAFF, 200, 403),
    ),
    Action(
        "edit own post in locked thread",
        "get",
        lambda w: f"/posts/{w.locked_own.pk}/edit/",
        allow(STAFF, 200, 403),
    ),
    Action(
        "edit deleted post", "get", lambda w: f"/posts/{w.deleted.pk}/edit/", allow(STAFF, 200, 404)
    ),
    Action(
        "react",
        "post",
        lambda w: f"/posts/{w.reply.pk}/react/",
        grid(302, guest=LOGIN, banned=403),
        data=_like,
    ),
    Action(
        "react to deleted post",
        "post",
        lambda w: f"/posts/{w.deleted.pk}/react/",
        allow(STAFF, 403, 404),
        data=_like,
    ),
    Action(
        "report",
        "get",
        lambda w: f"/posts/{w.reply.pk}/report/",
        grid(200, guest=LOGIN, banned=403),
    ),
    # moderating posts
    Action(
        "delete post",
        "get",
        lambda w: f"/moderation/posts/{w.reply.pk}/delete/",
        allow(STAFF, 200, 403),
    ),
    Action(
        "delete post sent",
        "post",
        lambda w: f"/moderation/posts/{w.reply.pk}/delete/",
        allow(STAFF, 302, 403),
        data=lambda w: {"reason": "matrix"},
    ),
    Action(
        "restore post",
        "post",
        lambda w: f"/moderation/posts/{w.deleted.pk}/restore/",
        allow(STAFF, 302, 404),
    ),
    Action(
        "approve post",
        "post",
        lambda w: f"/moderation/posts/{w.pending.pk}/approve/",
        allow(STAFF, 302, 404),
    ),
    Action(
        "reject post",
        "post",
        lambda w: f"/moderation/posts/{w.pending.pk}/reject/",
        allow(STAFF, 302, 404),
    ),
    Action(
        "approve a visible post",
        "post",
        lambda w: f"/moderation/posts/{w.reply.pk}/approve/",
        allow(STAFF, 302, 403),
    ),
    Action(
        "warn", "get", lambda w: f"/moderation/posts/{w.reply.pk}/warn/", allow(STAFF, 200, 403)
    ),
    # thread tools
    *[
        Action(
            f"thread tools: {verb}",
            "post",
            lambda w: f"/moderation/threads/{w.thread.pk}/",
            allow(STAFF, 302, 403),
            data=(lambda w, verb=verb: {"action": verb, "reason": "matrix"}),
        )
        for verb in ("lock", "unlock", "stick", "unstick", "delete", "restore")
    ],
    Action(
        "thread tools: move",
        "post",
        lambda w: f"/moderation/threads/{w.thread.pk}/",
        allow(STAFF, 302, 403),
        data=lambda w: {"action": "move", "forum": str(w.other_forum.pk), "leave_redirect": "1"},
    ),
    Action(
        "thread tools: merge",
        "post",
        lambda w: f"/moderation/threads/{w.thread.pk}/",
        allow(STAFF, 302, 403),
        data=lambda w: {"action": "merge", "merge_with": str(w.second_thread.pk)},
    ),
    Action(
        "thread tools on a hidden thread",
        "post",
        lambda w: f"/moderation/threads/{w.staff_thread.pk}/",
        allow(SUPER, 302, 404),
        data=_thread_act("lock"),
    ),
    Action(
        "bulk post action",
        "post",
        lambda w: f"/moderation/threads/{w.thread.pk}/posts/",
        allow(STAFF, 302, 403),
        data=lambda w: {"action": "delete", "posts": [str(w.reply.pk)]},
    ),
    Action(
        "bulk thread action",
        "post",
        lambda w: f"/moderation/forums/{w.forum.pk}/threads/",
        allow(STAFF, 302, 403),
        data=lambda w: {"action": "lock", "threads": [str(w.thread.pk)]},
    ),
    Action(
        "bulk thread action in hidden forum",
        "post",
        lambda w: f"/moderation/forums/{w.staff_forum.pk}/threads/",
        allow(SUPER, 302, 404),
        data=lambda w: {"action": "lock", "threads": [str(w.staff_thread.pk)]},
    ),
    # staff pages
    Action(
        "moderation queue", "get", lambda w: "/moderation/", allow((*STAFF, "mod_other"), 200, 404)
    ),
    Action(
        "moderator log", "get", lambda w: "/moderation/log/", allow((*STAFF, "mod_other"), 200, 404)
    ),
    Action(
        "report case", "get", lambda w: f"/moderation/reports/{w.case.pk}/", allow(STAFF, 200, 404)
    ),
    Action("ban page", "get", lambda w: "/moderation/members/replier/ban/", allow(SUPER, 200, 404)),
    Action("own warnings", "get", lambda w: "/account/warnings/", grid(200, guest=LOGIN)),
]

CASES = [(a, p) for a in ACTIONS for p in PERSONAS]


@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a.name}-{p}" for a, p in CASES])
def test_matrix_answers_each_persona_as_specified(action: Action, persona: str) -> None:
    world = build_world()
    client = world.client(persona)
    url = action.url(world)
    data = action.data(world) if action.data else {}
    response = client.get(url) if action.method == "get" else client.post(url, data)
    want = action.expect[persona]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/signin/?next=")
    else:
        assert response.status_code == want, response.content[:300]
        if want == 302:
            assert not response["Location"].startswith("/signin/")
