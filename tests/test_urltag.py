"""`{% url %}` from parley.core.urltag: Django's answers, remembered per process."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from parley.core import urltag


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_url_tag_in_templates_is_the_remembering_one() -> None:
    nodes = Template("{% url 'forums:thread' 5 %}").nodelist
    assert isinstance(nodes[0], urltag.RememberedURLNode)


def test_it_answers_as_reverse_does_with_args_kwargs_and_as_var() -> None:
    assert render("{% url 'forums:thread' 5 %}") == reverse("forums:thread", args=[5])
    assert render("{% url 'forums:thread' pk=n %}", n=7) == reverse("forums:thread", args=[7])
    assert render("{% url 'forums:index' as home %}[{{ home }}]") == f"[{reverse('forums:index')}]"
    # a second time, from memory, the same
    assert render("{% url 'forums:thread' 5 %}") == reverse("forums:thread", args=[5])


def test_a_name_that_does_not_reverse_raises_or_gives_nothing_with_as_var() -> None:
    with pytest.raises(NoReverseMatch):
        render("{% url 'no:such' %}")
    assert render("{% url 'no:such' as nothing %}[{{ nothing }}]") == "[]"


def test_an_argument_that_cannot_be_a_key_is_reversed_plainly() -> None:
    class Unhashable(int):
        __hash__ = None  # type: ignore[assignment]

    assert render("{% url 'forums:thread' n %}", n=Unhashable(3)) == reverse(
        "forums:thread", args=[3]
    )


def test_another_url_configuration_is_not_answered_from_memory() -> None:
    render("{% url 'forums:thread' 5 %}")
    with override_settings(ROOT_URLCONF="tests.urls_elsewhere"), pytest.raises(NoReverseMatch):
        render("{% url 'forums:thread' 5 %}")
    assert render("{% url 'forums:thread' 5 %}") == reverse("forums:thread", args=[5])
