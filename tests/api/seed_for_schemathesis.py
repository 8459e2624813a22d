"""Rows for the schemathesis run, so generated requests meet real things rather than empty
lists: a staff member with a token of every scope, a second member, a forum with a thread,
replies and a poll-less thread, a conversation between them, an open report, a watched
thread and an alert. Run with `parley shell -c`; prints the token's secret."""

from django.utils import timezone

from parley.alerts.services import Draft, write
from parley.api import tokens
from parley.conversations.services import start_conversation
from parley.engagement.services import watch_thread
from parley.moderation.reports import file_report
from tests.factories import ForumFactory, MemberFactory, make_reply, make_thread

forum = ForumFactory(title="World")
alice = MemberFactory(username="alice", is_staff=True)
bob = MemberFactory(username="bob")
thread = make_thread(forum, bob, title="Talks resume", body="First [b]post[/b]")
replies = [make_reply(thread, alice if i % 2 else bob, body=f"Reply {i} @alice") for i in range(3)]
start_conversation(starter=alice, recipients=[bob], title="Private", source="hello", fmt="bbcode")
file_report(reporter=alice, post=replies[0], reason=None, text="Looks like spam")
watch_thread(member=alice, thread=thread)
write(
    [Draft(alice.pk, "mention", f"post:{replies[0].pk}", bob.pk, post_id=replies[0].pk)],
    event_id=None,
    created_at=timezone.now(),
)
_token, secret = tokens.create_token(member=alice, name="st", scopes=["read", "write", "moderate"])
print("SECRET", secret)
