"""The query catalogue, manifest style: every query against its expected result.

Each ``queries/NAME.rq`` has ``queries/expected/NAME.srj`` (W3C SPARQL JSON results) or
``NAME.nt`` (a CONSTRUCT result), produced with the query's default parameters and
reviewed against the guide. SELECT results compare order-insensitively unless the
query orders them; CONSTRUCT results compare as isomorphic graphs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from relaxgraph.querying import catalogue
from relaxgraph.querying.catalogue import CatalogueQuery, load_catalogue, parse_query_file
from relaxgraph.querying.sparql import Engine
from relaxgraph.storage.engines import connect

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return connect()


def _solutions(data: dict[str, Any]) -> list[str]:
    return [json.dumps(b, sort_keys=True) for b in data["results"]["bindings"]]


def test_catalogue_has_at_least_25_queries() -> None:
    assert len(CATALOGUE) >= 25


def test_every_query_has_an_expected_result() -> None:
    expected = {p.stem for p in (QUERIES / "expected").iterdir()}
    assert expected == set(CATALOGUE)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_gives_its_expected_result(name: str, engine: Engine) -> None:
    entry = CATALOGUE[name]
    result = entry.run(engine)
    if result.kind == "graph":
        import rdflib
        from rdflib.compare import isomorphic

        got = rdflib.Graph().parse(data=result.serialize("nt"), format="nt")
        want = rdflib.Graph().parse(QUERIES / "expected" / f"{name}.nt", format="nt")
        assert isomorphic(got, want)
        assert len(got) > 0
        return
    want = json.loads((QUERIES / "expected" / f"{name}.srj").read_text(encoding="utf-8"))
    got = json.loads(result.data)
    assert got["head"]["vars"] == want["head"]["vars"]
    if entry.ordered:
        assert _solutions(got) == _solutions(want)
    else:
        assert Counter(_solutions(got)) == Counter(_solutions(want))
    assert want["results"]["bindings"], f"{name}: an expected result with no rows tests nothing"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_header_is_complete_and_parameters_match(name: str) -> None:
    entry = CATALOGUE[name]
    assert entry.summary and entry.description and entry.tags
    assert len(entry.summary) <= 80
    declared = {p.name for p in entry.params}
    used = entry.variables_used()
    assert declared <= used, f"declared but unused: {declared - used}"
    body = re.sub(r"^#.*$", "", entry.text, flags=re.M)
    if entry.form == "select":
        projection = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE", body, re.S | re.I)
        assert projection is not None
        for p in declared:
            # pyoxigraph substitutes only projected variables (SEP-0007)
            assert f"?{p}" in projection.group(1).split(), f"parameter ?{p} must be projected"
    for p in entry.params:
        assert p.description


def test_header_parser_reports_the_bad_line() -> None:
    with pytest.raises(catalogue.CatalogueError, match=r"x.rq:2: a param line"):
        parse_query_file(
            "x", "#+ summary: s\n#+ param: drug | nonsense | | d\nSELECT * WHERE {}", "x.rq"
        )
    with pytest.raises(catalogue.CatalogueError, match="no '#\\+ tags:' line"):
        parse_query_file("x", "#+ summary: s\n#+ description: d\nSELECT * WHERE {}", "x.rq")
    header = "#+ summary: s\n#+ description: d\n#+ tags: t\n"
    with pytest.raises(catalogue.CatalogueError, match=r"x.rq:4: '#\+ bind:' is"):
        parse_query_file("x", header + "#+ bind: paste\nSELECT * WHERE {}", "x.rq")
    assert parse_query_file("x", header + "#+ bind: values\nASK {}").bind_with == "values"
    assert parse_query_file("x", header + "ASK {}").bind_with == "constant"


def test_a_long_or_odd_name_is_an_unknown_query_not_a_crash() -> None:
    for name in ("x" * 100_000, "../../etc/passwd", "", "a\x00b"):
        with pytest.raises(catalogue.UnknownQueryError):
            catalogue.get(name)


def test_parameters_resolve_by_label_synonym_and_identifier(engine: Engine) -> None:
    entry = CATALOGUE["side-effects"]
    by_label = entry.bind(engine, drug="baclofen")
    assert entry.bind(engine, drug="Lioresal") == by_label
    assert entry.bind(engine, drug="BACLOFEN") == by_label
    assert entry.bind(engine, drug="DB00181") == by_label


def test_catalogue_as_rdf_describes_every_query() -> None:
    triples = catalogue.to_rdf()
    titled = {
        t.subject.value.rsplit("/", 1)[1] for t in triples if t.predicate.value.endswith("/title")
    }
    assert titled == set(CATALOGUE)


def test_ordered_detection() -> None:
    q: CatalogueQuery = CATALOGUE["statistics-table"]
    assert q.ordered
    assert not CATALOGUE["entity-neighbourhood"].ordered
