"""Every identifier link the viewer draws is the record URL the data cites (issue 11, item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from relaxgraph.querying.sparql import run
from relaxgraph.storage.engines import connect
from relaxgraph.views.network import from_entities
from relaxgraph.views.viz import visualize

RGO = "https://w3id.org/relaxgraph/ontology#"
_CITED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?e ?value ?url WHERE {
  ?st a rgo:CuratedStatement ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?value ;
      dcterms:source ?url .
  FILTER(isLiteral(?value))
}"""


@pytest.mark.browser
def test_every_identifier_link_in_the_page_is_the_cited_record_url(
    opened: Any, tmp_path: Path
) -> None:
    engine = connect()
    cited = {
        (e.value, v.value): u.value
        for e, v, u in run(engine, _CITED).terms
        if e is not None and v is not None and u is not None
    }
    entities = sorted({e for e, _ in cited})
    out = tmp_path / "identifiers.html"
    visualize(from_entities(entities, engine), output=out)
    opened.open(out)
    page = opened.page
    checked = 0
    for iri in entities:
        node = page.evaluate("(c) => relaxgraph.idOf(c)", iri)
        if node is None:
            continue
        page.evaluate("(n) => relaxgraph.showNode(n)", node)
        links = page.evaluate(
            "() => Array.from(document.querySelectorAll('#rg-details dl a'))"
            ".map(a => [a.textContent, a.getAttribute('href')])"
        )
        for text, href in links:
            assert href == cited[(iri, text)], (iri, text)
            checked += 1
    assert checked >= 40
    assert opened.console_errors() == [] and opened.external_requests() == []
