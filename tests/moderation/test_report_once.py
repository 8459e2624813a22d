"""A member reports a post once while its case is open; the second report is refused with a
message and changes nothing (it would only inflate the count the queue is judged by)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parley.moderation import reports
from parley.moderation.models import Report, ReportCase, ReportReason
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def reason() -> ReportReason:
    return ReportReason.objects.get(title="Off-topic")


def test_second_report_by_the_same_member_is_refused_and_not_counted(other, first_post) -> None:
    case = reports.file_report(reporter=other, post=first_post, reason=reason())
    with pytest.raises(ValidationError, match="already reported"):
        reports.file_report(reporter=other, post=first_post, reason=reason(), text="Again")
    case.refresh_from_db()
    assert case.report_count == 1 and Report.objects.count() == 1


def test_another_member_still_joins_the_open_case(other, moderator, first_post) -> None:
    reports.file_report(reporter=other, post=first_post, reason=reason())
    case = reports.file_report(reporter=moderator, post=first_post, reason=reason())
    assert case.report_count == 2 and ReportCase.objects.count() == 1


def test_member_may_report_again_once_the_case_is_closed(other, moderator, first_post) -> None:
    case = reports.file_report(reporter=other, post=first_post, reason=reason())
    reports.close_case(actor=moderator, case=case, resolved=False, note="Nothing wrong")
    again = reports.file_report(reporter=other, post=first_post, reason=reason())
    assert again.pk != case.pk and again.report_count == 1


def test_report_page_refuses_a_second_report_with_a_message(other, first_post) -> None:
    client = client_for(other)
    url = f"/posts/{first_post.pk}/report/"
    first = client.post(url, {"reason": reason().pk, "text": "Off-topic"})
    assert first.status_code == 302
    second = client.post(url, {"reason": reason().pk, "text": "Still off-topic"})
    assert second.status_code == 400
    assert "already reported this post" in second.content.decode()
    assert Report.objects.count() == 1
