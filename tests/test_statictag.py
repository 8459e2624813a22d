"""`{% static %}` from parley.core.statictag: Django's addresses, remembered per process,
and forgotten when the storage settings change."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.templatetags.static import StaticNode
from django.test import override_settings

from parley.core import statictag


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_static_tag_in_templates_is_the_remembering_one() -> None:
    nodes = Template("{% static 'parley/parley.css' %}").nodelist
    assert isinstance(nodes[0], statictag.RememberedStaticNode)


def test_it_answers_as_djangos_tag_with_a_variable_and_as_var() -> None:
    expected = StaticNode.handle_simple("parley/parley.css")
    assert render("{% static 'parley/parley.css' %}") == expected
    assert render("{% static path %}", path="parley/parley.css") == expected
    assert render("{% static 'parley/parley.css' as css %}[{{ css }}]") == f"[{expected}]"
    assert render("{% static 'parley/parley.css' %}") == expected  # again, from memory


def test_a_changed_static_url_is_answered_at_once() -> None:
    assert render("{% static 'parley/parley.css' %}").startswith("/static/")
    with override_settings(STATIC_URL="/assets/"):
        assert render("{% static 'parley/parley.css' %}") == "/assets/parley/parley.css"
    assert render("{% static 'parley/parley.css' %}").startswith("/static/")


def test_no_parley_template_loads_djangos_static_tag_over_it() -> None:
    """`{% load static %}` in a template would put Django's tag back for that template."""
    project = Path(settings.PROJECT_DIR)
    roots = [project / "templates", *(project / "parley").glob("*/templates")]
    loading = [
        str(path)
        for root in roots
        for path in root.rglob("*.html")
        if re.search(r"{%\s*load\b[^%]*\bstatic\b", path.read_text())
    ]
    assert loading == []
