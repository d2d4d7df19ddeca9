"""Bound parameters written into catalogue queries as constants (issue 9, item 22): the same
answers as binding through pyoxigraph's substitutions, and no way to inject text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from relaxgraph.querying._inline import inline
from relaxgraph.querying.catalogue import load_catalogue
from relaxgraph.querying.sparql import Result, run
from relaxgraph.storage.engines import OxigraphEngine, connect
from relaxgraph.storage.store import bundled_store

CATALOGUE = load_catalogue()
WITH_PARAMS = [name for name, q in CATALOGUE.items() if q.params]
OTHER_VALUES = {
    "drug": ["tizanidine", "Lioresal", "vecuronium"],
    "entity": ["GABA-B receptor", "dizziness"],
    "text": ['"} } ; DROP ALL #', "muscle"],
}


def _answer(result: Result) -> tuple[list[str], list[str]]:
    rows = result.terms if result.kind == "select" else result.triples
    return result.variables if result.kind == "select" else [], sorted(map(str, rows))


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_written_in_terms_answer_as_substitutions_do(name: str) -> None:
    store = bundled_store()
    fast, plain = OxigraphEngine(store), OxigraphEngine(store, inline=False)
    q = CATALOGUE[name]
    values: list[dict[str, str]] = [{}]
    for p in q.params:
        values += [{p.name: v} for v in OTHER_VALUES.get(p.name, [])]
    for given in values:
        try:
            bindings = q.bind(fast, **given)
        except LookupError:
            continue  # a value of the wrong kind for this query
        text, prepared = q.prepare(fast, bindings)
        assert _answer(run(fast, text, prepared)) == _answer(run(plain, q.text, bindings))


def test_most_catalogue_queries_are_written_in() -> None:
    engine = connect()
    written = [n for n in WITH_PARAMS if inline(CATALOGUE[n].text, CATALOGUE[n].bind(engine))]
    assert len(written) == len(WITH_PARAMS)


def test_terms_are_written_by_the_serialiser_not_pasted() -> None:
    hostile = ox.Literal('x" } } DELETE WHERE { ?s ?p ?o } #\n')
    text = inline("SELECT ?t WHERE { ?s ?p ?t FILTER(?t = ?t) }", {"t": hostile})
    assert text is not None
    assert str(hostile) in text and "\n" not in text
    assert run(connect(), "SELECT ?t WHERE { ?s ?p ?t }", {"t": hostile}).terms == []
    with pytest.raises(ValueError):
        ox.NamedNode("http://x/> } DROP ALL #")  # an IRI cannot close itself


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?d ?p ?o }",
        "SELECT ?o WHERE { ?s ?p ?o FILTER(BOUND(?d)) }",
        "SELECT ?x WHERE { BIND(1 AS ?d) ?x ?p ?o }",
        "SELECT ?o WHERE { VALUES ?d { 1 } ?s ?p ?o }",
        "SELECT ?d (COUNT(*) AS ?n) WHERE { ?d ?p ?o } GROUP BY ?d",
    ],
)
def test_where_a_constant_cannot_stand_the_text_is_left_alone(text: str) -> None:
    assert inline(text, {"d": ox.NamedNode("http://x/a")}) is None
    assert inline(text, {"d": ox.BlankNode()}) is None


def test_a_values_query_gets_its_terms_in_a_leading_values_block() -> None:
    q = CATALOGUE["drugs-for-receptor"]
    assert q.bind_with == "values"
    engine = connect()
    text, bindings = q.prepare(engine, q.bind(engine, receptor="GABA-B receptor"))
    assert bindings == {}
    assert "VALUES (?receptor) { (<https://w3id.org/relaxgraph/id/gaba-b-receptor>) }" in text
    assert [r.drugLabel for r in run(engine, text).rows()] == ["baclofen", "baclofen"]
