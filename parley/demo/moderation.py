"""The demo's staff and their casework: a super moderator, a moderator of one forum, a group
with rights of its own, and what they did about a few posts (an open report, a deleted
post, a warning with a public notice, a post waiting for approval).

Groups, grants and moderator entries are rows an administrator creates in the admin, so they
are written directly; everything a moderator does goes through the moderation services, so
the moderator log and every counter are the real ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parley.forums import services
from parley.forums.models import Forum, Post, State, Thread
from parley.members.models import Member
from parley.moderation import content, reports, warnings
from parley.moderation.models import ReportReason, WarningType
from parley.permissions.models import ForumModerator, Grant, Group

from .content import (
    CASE_COMMENT,
    DELETE_REASON,
    EDIT_ADDITION,
    REPORTS_ON_REPORTED,
    WARNING_NOTICE,
    WARNING_REASON,
    WARNING_TYPE,
)
from .people import (
    ANALYSTS,
    ANALYSTS_DESCRIPTION,
    ANALYSTS_FORUM,
    ANALYSTS_GROUP,
    ANALYSTS_PERMS,
    FORUM_MODERATORS,
    SUPER_MODERATORS,
)


@dataclass
class StaffSetup:
    members: dict[str, Member]
    forums: dict[str, Forum]

    def run(self) -> None:
        Group.objects.get(key=Group.MODERATORS).members.add(
            *[self.members[name] for name in SUPER_MODERATORS]
        )
        for name, forum, powers in FORUM_MODERATORS:
            ForumModerator.objects.create(
                forum=self.forums[forum], member=self.members[name], powers=list(powers)
            )
        analysts = Group.objects.create(name=ANALYSTS_GROUP, description=ANALYSTS_DESCRIPTION)
        analysts.members.add(*[self.members[name] for name in ANALYSTS])
        for perm in ANALYSTS_PERMS:
            Grant.objects.create(group=analysts, forum=self.forums[ANALYSTS_FORUM], permission=perm)


def moderate(staff: StaffSetup, marked: dict[str, Post], sticky: Sequence[Thread]) -> None:
    """The staff's work on the written community, in the order it would have happened."""
    members = staff.members
    kestrel, moderator = members["kestrel_mod"], members[SUPER_MODERATORS[0]]
    content.set_flags(actor=kestrel, threads=list(sticky), sticky=True)

    # Two members report the same post: one open case, with the staff discussing it.
    reported = marked["reported"]
    for name, reason, text in REPORTS_ON_REPORTED:
        case = reports.file_report(
            reporter=members[name],
            post=reported,
            reason=ReportReason.objects.get(title=reason),
            text=text,
        )
    author, comment = CASE_COMMENT
    reports.comment_on_case(actor=members[author], case=case, text=comment)

    content.delete_posts(actor=kestrel, posts=[marked["deleted"]], reason=DELETE_REASON)

    warned = marked["warned"]
    warnings.warn_member(
        actor=moderator,
        member=warned.author,
        warning_type=WarningType.objects.get(title=WARNING_TYPE),
        post=warned,
        reason=WARNING_REASON,
        public_notice=WARNING_NOTICE,
    )

    # The newcomer's post with three links waits for approval by the link rule itself.
    if marked["pending"].state != State.PENDING:
        raise RuntimeError("The newcomer's three-link post should be awaiting approval.")

    # An author's own edit, whose history only the analysts (and staff) may read.
    first = Post.objects.select_related("thread__forum", "author").get(pk=marked["edited"].pk)
    services.edit_post(
        editor=first.author, post=first, source=first.source + EDIT_ADDITION, fmt=first.format
    )
