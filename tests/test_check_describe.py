"""`describe` after issue 13: names without bare identifiers, brand names, flags on every kind of
entity, each claim's evidence kind, and every assessment touching the entity."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from relaxgraph import api
from relaxgraph.cli import cli


def test_names_are_names_and_identifiers_are_listed_apart() -> None:
    d = api.describe("baclofen")
    assert "Lioresal" in d.names
    identifier_values = {i.split(": ", 1)[1] for i in d.identifiers}
    assert {"CHEBI:2972", "DB00181", "M03BX01"} <= identifier_values
    assert not set(d.names) & identifier_values, "an identifier is shown as a name"
    assert not any(n.isdigit() for n in d.names)
    assert any(i.startswith("DrugBank identifier: ") for i in d.identifiers)
    text = d.text()
    assert "also known as: Lioresal" in text
    assert "identifiers: " in text


@pytest.mark.parametrize(
    ("entity", "kind"),
    [
        ("study-journal-of-neurology-baclofen", "missing reference"),
        ("stat-cerebral-palsy-pain-relief", "unsupported statistic"),
        ("price-baclofen-30-day-supply", "unsupported statistic"),
        ("emily-roberts", "unverifiable"),
    ],
)
def test_flags_on_studies_statistics_prices_and_people_are_shown(entity: str, kind: str) -> None:
    d = api.describe(entity)
    assert any(f.startswith(f"{kind}: ") for f in d.flags), d.flags
    assert f"FLAGGED: {kind}: " in d.text()


def test_each_claim_shows_its_evidence_kind() -> None:
    text = api.describe("mark").text()
    assert "[testimonial]" in text
    text = api.describe("dantrolene sodium").text()
    assert "[study cited without reference]" in text and "[general statement]" in text


def test_every_assessment_touching_the_entity_is_shown() -> None:
    d = api.describe("baclofen")
    claims = {a.claim: a for a in d.assessments}
    gaba = claims["baclofen has mechanism enhancement of the activity of GABA receptors"]
    assert gaba.verdict == "contradicted" and gaba.reason
    # curated (GR002): the oral label's indications do not name it; the intrathecal label's were
    # not read, so no computed check judges from their absence
    palsy = claims["baclofen treats cerebral palsy"]
    assert palsy.verdict == "supported but imprecise or oversimplified"
    assert "not an oral-label indication" in palsy.reason
    assert len(d.assessments) >= 40
    assert d.assessments[0].verdict == "contradicted"  # most severe first
    # an entity that is only an object of claims has them too
    assert any(
        a.claim.endswith("treats multiple sclerosis")
        for a in api.describe("multiple sclerosis").assessments
    )


def test_describe_json_carries_the_new_fields() -> None:
    result = CliRunner().invoke(cli, ["describe", "Lioresal", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"identifiers", "flags", "assessments"} <= set(data)
