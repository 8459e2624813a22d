"""The layout's server-side parts (docs/layout.md): the header menu is a <details> that works
without JavaScript, the favicon and reaction icons are bundled SVG files, and the viewport
is declared. How pages look at 360 px is tests/browser/test_every_page.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.test import Client

from parley.forums.reaction_icons import BUNDLED, GENERIC, icon_name, icon_url
from parley.members.models import Member

pytestmark = pytest.mark.django_db


def static_file(url: str) -> Path:
    return Path(__file__).resolve().parent.parent / "static" / url.removeprefix("/static/")


def header(body: str) -> str:
    return body[body.index('<header class="site-header">') : body.index("</header>")]


def test_the_header_links_are_in_a_details_menu_for_guests(anon_client: Client) -> None:
    part = header(anon_client.get("/").content.decode())
    menu = part[part.index('<details class="site-menu">') :]
    assert re.search(r"<summary class=\"menu-button\">Menu</summary>", menu)
    assert 'href="/signin/"' in menu and 'href="/links/search/"' in menu


def test_a_members_menu_button_carries_the_unread_alert_count(
    member_client: Client, member: Member
) -> None:
    part = header(member_client.get("/").content.decode())
    summary = part[part.index("<summary") : part.index("</summary>")]
    assert "data-alert-count hidden>0<" in summary  # live.js updates both counts
    assert part.count("data-alert-count") == 2
    assert 'href="/alerts/"' in part[part.index("</summary>") :]


def test_every_page_declares_the_viewport_and_the_svg_favicon(anon_client: Client) -> None:
    body = anon_client.get("/signin/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', body)
    assert icon is not None
    assert ET.parse(static_file(icon.group(1))).getroot().tag.endswith("svg")


@pytest.mark.parametrize("name", [*sorted(BUNDLED), GENERIC, "pick"])
def test_each_reaction_icon_is_a_square_svg_file(name: str) -> None:
    root = ET.parse(static_file(f"/static/reactions/{name}.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 24 24"


def test_icons_are_chosen_by_name_whatever_the_case_and_others_get_the_star() -> None:
    assert icon_name(" Like ") == "like" and icon_name("DISLIKE") == "dislike"
    assert icon_name("Insightful") == GENERIC
    assert icon_url("Sad") == "/static/reactions/sad.svg"
