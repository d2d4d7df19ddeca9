"""Reasoning on demand: the shipped entailments match what owlrl derives now."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from relaxgraph.checking.reasoning import bundled_closure, closure
from relaxgraph.storage.store import bundled_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_closure  # noqa: E402

RG = "https://w3id.org/relaxgraph/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def fresh() -> tuple[ox.Store, ox.Store]:
    """The bundled graph and its owlrl closure, computed once for the tests that compare them
    (owlrl takes seconds over the whole union)."""
    asserted = bundled_store()
    return asserted, closure(asserted)


def test_shipped_entailments_are_up_to_date(fresh: tuple[ox.Store, ox.Store]) -> None:
    assert build_closure.TARGET.read_bytes() == build_closure.render(*fresh), (
        "ontology/entailed.nt is stale: run python tools/build_closure.py"
    )


def test_bundled_closure_equals_owlrl_closure_without_blank_nodes(
    fresh: tuple[ox.Store, ox.Store],
) -> None:
    derived = {q.triple for q in fresh[1] if build_closure._kept(q.triple)}
    shipped = {q.triple for q in bundled_closure() if build_closure._kept(q.triple)}
    assert derived == shipped


def test_inference_types_every_classified_drug_as_a_muscle_relaxant() -> None:
    store = bundled_closure()
    root = ox.NamedNode(RG + "muscle-relaxants")
    drugs = {q.subject.value[len(RG) :] for q in store.quads_for_pattern(None, RDF_TYPE, root)}
    assert {
        "baclofen",
        "dantrolene-sodium",
        "succinylcholine",
        "vecuronium",
        "diazepam",
        "hyoscine-butylbromide",
        "methocarbamol",
    } <= drugs
    asserted = {q.subject.value for q in bundled_store().quads_for_pattern(None, RDF_TYPE, root)}
    assert len(asserted) < len(drugs)
