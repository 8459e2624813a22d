"""Folding and our query parser: pure functions, no database."""

from __future__ import annotations

import pytest

from parley.search.engines import Fts5Engine, PostgresEngine
from parley.search.highlight import highlight, snippet
from parley.search.normalise import fold, index_text, words
from parley.search.parser import Clause, QueryError, parse_query


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Şanlıurfa", "sanliurfa"),
        ("SANLIURFA", "sanliurfa"),
        ("İstanbul", "istanbul"),
        ("Über", "uber"),
        ("Straße", "strasse"),
        ("Øresund", "oresund"),
        ("Łódź", "lodz"),
        ("Đakovo", "dakovo"),
        ("ﬁnal", "final"),
    ],
)
def test_fold_removes_case_and_diacritics_including_letters_nfkd_cannot_split(
    typed: str, folded: str
) -> None:
    assert fold(typed) == folded


def test_index_text_is_folded_words_separated_by_single_spaces() -> None:
    assert index_text("Drones over Şanlıurfa — 12 km, [b]e-mail[/b]") == (
        "drones over sanliurfa 12 km b e mail b"
    )
    assert words("snake_case") == ["snake", "case"]


def test_parser_reads_words_phrases_exclusions_and_prefixes() -> None:
    query = parse_query('drone "border crossing" -rumour sanl*')
    assert query.clauses == (
        Clause(("drone",)),
        Clause(("border", "crossing")),
        Clause(("rumour",), negated=True),
        Clause(("sanl",), prefix=True),
    )


def test_parser_folds_what_was_typed_like_the_index() -> None:
    assert parse_query("ŞANLIURFA").clauses == (Clause(("sanliurfa",)),)


def test_a_hyphenated_word_is_a_phrase_of_its_parts() -> None:
    assert parse_query("al-Qaeda").clauses == (Clause(("al", "qaeda")),)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('"border crossing', "not closed"),
        ("-rumour", "Add a word"),
        ("!!! ???", "at least one word"),
        ("a*", "at least 2 letters"),
        ("x " * 150, "at most 200"),
        (" ".join(f"w{i}" for i in range(13)), "at most 12"),
    ],
)
def test_queries_we_cannot_read_raise_a_message_for_the_member(typed: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(typed)


def test_engine_queries_quote_every_word_and_never_carry_what_was_typed() -> None:
    query = parse_query('drone NEAR(x) "ab cd"* -c OR title:x')
    fts = Fts5Engine().engine_query(query, titles_only=False)
    assert fts == '"drone" AND "near x" AND "ab cd"* AND "or" AND "title x" NOT "c"'
    assert Fts5Engine().engine_query(query, titles_only=True).startswith("{title} : (")
    pg = PostgresEngine().engine_query(parse_query('drone "ab cd"* -c'), titles_only=True)
    assert pg == "'drone':A & ('ab':A <-> 'cd':*A) & !'c':A"


def test_highlight_marks_folded_matches_in_the_original_text_and_escapes_the_rest() -> None:
    marked = highlight("<b>Şanlıurfa</b> & drones", {"sanliurfa"}, {"dro"})
    assert marked == "&lt;b&gt;<mark>Şanlıurfa</mark>&lt;/b&gt; &amp; <mark>drones</mark>"


def test_snippet_is_cut_around_the_first_match() -> None:
    text = "filler " * 100 + "the drone fell " + "tail " * 100
    cut = snippet(text, {"drone"}, set())
    assert "<mark>drone</mark>" in cut
    assert cut.startswith("… ") and cut.endswith(" …")
    assert len(cut) < 300
