"""The two engines behind one interface: each turns a `ParsedQuery` into a condition and a
rank on a queryset of posts. Lower rank is better on both (bm25 is already negative-is-better;
PostgreSQL's ts_rank is negated), so callers sort the same way.

Only folded words (letters and digits) are ever written into an engine query, and the whole
query string travels as a parameter, never spliced into the SQL.
"""

from __future__ import annotations

from typing import Protocol

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .parser import Clause, ParsedQuery

FTS_TABLE = "search_fts"
DOC_TABLE = "search_searchdocument"
PG_CONFIG = "parley_search"
# A title word weighs this many body words (bm25 column weights).
TITLE_WEIGHT = 4.0


class Engine(Protocol):
    name: str

    def engine_query(self, query: ParsedQuery, *, titles_only: bool) -> str: ...

    def match(self, posts: QuerySet, query: ParsedQuery, *, titles_only: bool) -> QuerySet: ...

    def best_ids(
        self, query: ParsedQuery, *, titles_only: bool, limit: int, newest: bool = False
    ) -> list[int]: ...


def _ids(sql: str, params: tuple[str | float | int, ...]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


def _quoted(word: str) -> str:
    return word.replace('"', '""')


class Fts5Engine:
    name = "sqlite-fts5"

    def _clause(self, clause: Clause) -> str:
        text = '"' + " ".join(_quoted(w) for w in clause.words) + '"'
        return text + "*" if clause.prefix else text

    def engine_query(self, query: ParsedQuery, *, titles_only: bool) -> str:
        expression = " AND ".join(self._clause(c) for c in query.positive)
        for clause in query.negative:
            expression += " NOT " + self._clause(clause)
        if titles_only:
            return "{title} : (" + expression + ")"
        return expression

    def match(self, posts: QuerySet, query: ParsedQuery, *, titles_only: bool) -> QuerySet:
        # extra()/RawSQL: the engine query is a parameter; only our constants are spliced.
        return posts.extra(  # noqa: S610
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = forums_post.id", f"{FTS_TABLE} MATCH %s"],
            params=[self.engine_query(query, titles_only=titles_only)],
        ).annotate(
            rank=RawSQL(  # noqa: S611
                f"bm25({FTS_TABLE}, %s, 1.0)", (TITLE_WEIGHT,), output_field=FloatField()
            )
        )

    def best_ids(
        self, query: ParsedQuery, *, titles_only: bool, limit: int, newest: bool = False
    ) -> list[int]:
        """The best-ranked (or newest) documents of the whole index, before any permission
        or filter: a shortlist (see queries.search_posts), in the order of the full query."""
        text = self.engine_query(query, titles_only=titles_only)
        if newest:
            return _ids(
                f"SELECT d.post_id FROM {FTS_TABLE} JOIN {DOC_TABLE} d "  # noqa: S608
                f"ON d.post_id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
                "ORDER BY d.created_at DESC, d.post_id DESC LIMIT %s",
                (text, limit),
            )
        return _ids(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, %s, 1.0), rowid LIMIT %s",
            (text, TITLE_WEIGHT, limit),
        )


class PostgresEngine:
    name = "postgresql"

    def _word(self, word: str, *, prefix: bool, titles_only: bool) -> str:
        # Words are letters and digits only; the quotes keep even those from being read as
        # operators.
        marks = ("*" if prefix else "") + ("A" if titles_only else "")
        return (
            "'" + word.replace("'", "''").replace("\\", "") + "'" + (":" + marks if marks else "")
        )

    def _clause(self, clause: Clause, *, titles_only: bool) -> str:
        last = len(clause.words) - 1
        parts = [
            self._word(w, prefix=clause.prefix and i == last, titles_only=titles_only)
            for i, w in enumerate(clause.words)
        ]
        text = " <-> ".join(parts)
        return f"({text})" if len(parts) > 1 else text

    def engine_query(self, query: ParsedQuery, *, titles_only: bool) -> str:
        parts = [self._clause(c, titles_only=titles_only) for c in query.positive]
        parts += ["!" + self._clause(c, titles_only=titles_only) for c in query.negative]
        return " & ".join(parts)

    def match(self, posts: QuerySet, query: ParsedQuery, *, titles_only: bool) -> QuerySet:
        text = self.engine_query(query, titles_only=titles_only)
        tsquery = f"to_tsquery('{PG_CONFIG}', %s)"
        return posts.extra(  # noqa: S610
            tables=[DOC_TABLE],
            where=[f"{DOC_TABLE}.post_id = forums_post.id", f"{DOC_TABLE}.vector @@ {tsquery}"],
            params=[text],
        ).annotate(
            rank=RawSQL(  # noqa: S611
                f"-ts_rank({DOC_TABLE}.vector, {tsquery})", (text,), FloatField()
            )
        )

    def best_ids(
        self, query: ParsedQuery, *, titles_only: bool, limit: int, newest: bool = False
    ) -> list[int]:
        text = self.engine_query(query, titles_only=titles_only)
        tsquery = f"to_tsquery('{PG_CONFIG}', %s)"
        if newest:
            return _ids(
                f"SELECT post_id FROM {DOC_TABLE} WHERE vector @@ {tsquery} "  # noqa: S608
                "ORDER BY created_at DESC, post_id DESC LIMIT %s",
                (text, limit),
            )
        return _ids(
            f"SELECT post_id FROM {DOC_TABLE} WHERE vector @@ {tsquery} "  # noqa: S608
            f"ORDER BY -ts_rank(vector, {tsquery}), post_id LIMIT %s",
            (text, text, limit),
        )


def current() -> Engine:
    """The engine of the database in use."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    return Fts5Engine()
