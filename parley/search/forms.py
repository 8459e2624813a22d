"""Reading the search page's query string into a `ParsedQuery` and `Filters`, with a message
for each thing we cannot read (shown beside its field; the search does not run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import Lower
from django.http import QueryDict

from parley.core.params import ascii_int
from parley.links.canonical import canonicalize
from parley.members.models import Member

from .parser import ParsedQuery, QueryError, parse_query
from .queries import NEWEST, RELEVANCE, Filters, forum_ids_under

MAX_MEMBERS = 10
MAX_MIN_REACTIONS = 10_000


@dataclass
class SearchForm:
    """What the member asked for, as typed (to fill the form again) and as understood."""

    q: str = ""
    by: str = ""
    where: str = ""
    since: str = ""
    until: str = ""
    site: str = ""
    min_reactions: str = ""
    titles_only: bool = False
    sort: str = RELEVANCE
    show: str = "posts"
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)
    query: ParsedQuery | None = None
    filters: Filters = field(default_factory=Filters)

    @property
    def grouped(self) -> bool:
        return self.show == "threads"

    @property
    def has_filters(self) -> bool:
        return (
            bool(
                self.by or self.where or self.since or self.until or self.site or self.min_reactions
            )
            or self.titles_only
        )


def _date(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Give the date as YYYY-MM-DD."
        return None


def _site(raw: str, errors: dict[str, str]) -> str:
    if not raw:
        return ""
    text = raw if "://" in raw else f"https://{raw}"
    try:
        key = canonicalize(text[:300])
    except ValueError:
        errors["site"] = "Give a site's address, such as bbc.co.uk."
        return ""
    return key.split("://", 1)[1].split("/", 1)[0]


def _members(raw: str, errors: dict[str, str]) -> tuple[int, ...]:
    names = [n.strip().lstrip("@") for n in raw.split(",") if n.strip()]
    if not names:
        return ()
    if len(names) > MAX_MEMBERS:
        errors["by"] = f"Name at most {MAX_MEMBERS} members."
        return ()
    # Names as members type them: "Alice" finds alice.
    found = dict(
        Member.objects.annotate(lname=Lower("username"))
        .filter(lname__in=[n.lower() for n in names])
        .values_list("lname", "pk")
    )
    missing = [n for n in names if n.lower() not in found]
    if missing:
        errors["by"] = "No member is called " + ", ".join(missing) + "."
    return tuple(found.values())


def _where(raw: str, errors: dict[str, str]) -> tuple[int, ...] | None:
    if not raw:
        return None
    kind, _, number = raw.partition("-")
    pk = ascii_int(number)
    if kind not in ("forum", "category") or pk is None:
        errors["where"] = "Choose a forum or a category from the list."
        return None
    if kind == "forum":
        return forum_ids_under(pk, None)
    return forum_ids_under(None, pk)


def read_search_form(params: QueryDict) -> SearchForm:
    form = SearchForm(
        q=params.get("q", "").strip(),
        by=params.get("by", "").strip()[:400],
        where=params.get("in", "").strip(),
        since=params.get("since", "").strip(),
        until=params.get("until", "").strip(),
        site=params.get("site", "").strip(),
        min_reactions=params.get("reactions", "").strip(),
        titles_only=params.get("titles") == "1",
        sort=NEWEST if params.get("sort") == NEWEST else RELEVANCE,
        show="threads" if params.get("show") == "threads" else "posts",
        page=ascii_int(params.get("page", "1"), max_digits=4) or 1,
    )
    errors = form.errors
    if form.q:
        try:
            form.query = parse_query(form.q)
        except QueryError as exc:
            errors["q"] = str(exc)
    minimum = 0
    if form.min_reactions:
        parsed = ascii_int(form.min_reactions, max_digits=6)
        if parsed is None or parsed > MAX_MIN_REACTIONS:
            errors["reactions"] = f"Give a whole number from 0 to {MAX_MIN_REACTIONS:,}."
        else:
            minimum = parsed
    since = _date(form.since, "since", errors)
    until = _date(form.until, "until", errors)
    if since and until and since > until:
        errors["until"] = "The end date is before the start date."
    form.filters = Filters(
        author_ids=_members(form.by, errors),
        forum_ids=_where(form.where, errors),
        since=since,
        until=until,
        titles_only=form.titles_only,
        site=_site(form.site, errors),
        min_reactions=minimum,
    )
    return form
