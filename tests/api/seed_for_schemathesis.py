"""Rows for the schemathesis run: a member with a token of every scope, a forum, a thread
with replies, a second member. Run with `parley shell -c`; prints the token's secret."""

from parley.api import tokens
from parley.forums.models import Forum
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

forum = ForumFactory(title="World")
alice = MemberFactory(username="alice", is_staff=True)
bob = MemberFactory(username="bob")
thread = make_thread(forum, bob, title="Talks resume", body="First [b]post[/b]")
for i in range(3):
    make_reply(thread, alice if i % 2 else bob, body=f"Reply {i}")
_token, secret = tokens.create_token(member=alice, name="st", scopes=["read", "write", "moderate"])
assert Forum.objects.count() >= 1
print("SECRET", secret)
