"""Computed checks: judge the guide's statements against the reference layer.

Each check takes one guide statement (an ``rgo:GuideStatement`` of the graph) and the reference
statements (``rgo:ReferenceStatement``) about the same drug, and returns a :class:`Finding` (a
verdict, a kind of problem, a one-sentence reason and the reference statements it rests on), or
``None`` when the reference layer holds nothing that bears on the claim. Which guide entity
means which label wording, target family, class code, route or dosage form is a reviewed table,
``data/curation/reference-map.tsv`` (:class:`ReferenceMap`); the checks never guess it.

A check judges from what the reference layer holds, never from what it lacks: the label facts
are the parts of labels that could be read, not every label's whole text, so an indication,
route or dosage form that is not there is no evidence against a claim (the check returns
``None`` and the curated review decides). Absence counts only where the source is a whole list:
the FDA substance list's brand names, a drug's ATC codes.

The checks:

* ``indication``: a drug-condition claim (``rgo:treats``) against labelled indications;
* ``route`` and ``dosage-form``: ``rgo:administrationRoute`` / ``rgo:hasDosageForm`` against the
  labelled routes and dosage forms (a class's route against its members' labels, the members
  found by the class's ATC groups in the reference map);
* ``mechanism``: ``rgo:hasMechanism`` / ``rgo:targets`` (and membership of a class defined by its
  mechanism) against the drug's targets and their action types;
* ``class-membership``: ``rdf:type`` / ``rgo:listedExample`` against the ATC codes of the drug;
* ``safety``: ``rgo:hasWithdrawalSymptom`` / ``rgo:hasSideEffect`` against boxed warnings, label
  warnings and adverse reactions;
* ``brand``: ``rgo:brandOf`` against the brand names the FDA substance list records for the
  drug's substance forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..errors import RelaxgraphError
from ..namespaces import OA, RG, RGO

__all__ = [
    "CHECKS",
    "Finding",
    "ReferenceMap",
    "ReferenceMapError",
    "compute",
    "load_reference_map",
]

RGO_NS = str(RGO)
REFERENCE_STATEMENT = URIRef(RGO_NS + "ReferenceStatement")
P_QUALIFIER = URIRef(RGO_NS + "qualifier")
P_ACTION = URIRef(RGO_NS + "actionType")
P_IN_CLASS = URIRef(RGO_NS + "inClass")
P_HAS_TARGET = URIRef(RGO_NS + "hasTarget")
ATC_SCHEME = URIRef(str(RG) + "scheme-atc")

MAP_KINDS = ("term", "route", "dosage-form", "gene-prefix", "action", "atc")
ACTION_TYPES = (
    "Agonist",
    "Antagonist",
    "PositiveAllostericModulator",
    "NegativeAllostericModulator",
    "Modulator",
    "Blocker",
    "Opener",
    "Inhibitor",
)
HEDGES = ("may ", "some value", "adjunct", "short-term", "reserve")
NEGATIONS = ("not indicated", "not approved", "limitation of use")


class ReferenceMapError(RelaxgraphError, ValueError):
    """The reference map (data/curation/reference-map.tsv) breaks its schema."""

    exit_code = 2


@dataclass(frozen=True)
class ReferenceMap:
    """What a guide entity means in the reference layer's terms (one reviewed row each)."""

    rows: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def get(self, entity: str, kind: str) -> tuple[str, ...]:
        """The values of ``kind`` for ``entity`` (its local name, such as ``multiple-sclerosis``)."""
        return self.rows.get(entity, {}).get(kind, ())

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> ReferenceMap:
        table: dict[str, dict[str, tuple[str, ...]]] = {}
        for entity, kind, value in rows:
            if kind not in MAP_KINDS:
                raise ReferenceMapError(
                    f"reference map: entity {entity!r}: unknown kind {kind!r}"
                    f" (allowed: {', '.join(MAP_KINDS)})"
                )
            if kind == "action" and value not in ACTION_TYPES:
                raise ReferenceMapError(
                    f"reference map: entity {entity!r}: unknown action type {value!r}"
                    f" (allowed: {', '.join(ACTION_TYPES)})"
                )
            by_kind = table.setdefault(entity, {})
            by_kind[kind] = (*by_kind.get(kind, ()), value)
        return cls(table)


def load_reference_map(path: Path) -> ReferenceMap:
    """Read ``reference-map.tsv`` (columns entity, maps_to, value, note)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReferenceMapError(
            f"cannot read the reference map {path.name}: {exc.strerror}"
        ) from exc
    if not lines or lines[0].split("\t")[:3] != ["entity", "maps_to", "value"]:
        raise ReferenceMapError(
            f"{path.name}:1: header must start entity, maps_to, value (a reviewed TSV table)"
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 3 or not all(c.strip() for c in cells[:3]):
            raise ReferenceMapError(f"{path.name}:{number}: needs entity, maps_to and value")
        rows.append((cells[0], cells[1], cells[2]))
    return ReferenceMap.from_rows(rows)


@dataclass(frozen=True)
class Finding:
    """The verdict of one computed check on one guide statement."""

    statement: str
    check: str
    verdict: str  # the local name of an rgo:Verdict individual
    kind: str | None  # the local name of an rgo:ProblemKind individual, or None
    reason: str
    evidence: tuple[str, ...]  # IRIs of the reference statements it rests on


@dataclass(frozen=True)
class Fact:
    """One reference statement about a drug, flattened."""

    iri: str
    value: str  # the object: a literal's text or an IRI
    qualifier: str
    quote: str
    action: str  # local name of rgo:actionType, or ""
    record: str = ""  # dcterms:source: the record the fact was read in

    def text(self) -> str:
        return " ".join(t for t in (self.value, self.qualifier, self.quote) if t).lower()


@dataclass(frozen=True)
class Statement:
    iri: str
    subject: str
    predicate: str
    object: str


# ------------------------------------------------------------------------------------------
# Reading the graph
# ------------------------------------------------------------------------------------------
def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _label(graph: Graph, node: str) -> str:
    for value in graph.objects(URIRef(node), RDFS.label):
        return str(value)
    return _local(node).replace("-", " ")


def _types(graph: Graph, node: str) -> set[str]:
    return {str(t) for t in graph.objects(URIRef(node), RDF.type)}


def _is_drug(graph: Graph, node: str) -> bool:
    return RGO_NS + "Drug" in _types(graph, node)


def guide_statements(graph: Graph) -> list[Statement]:
    """Every rgo:GuideStatement of ``graph``, sorted by IRI."""
    out = []
    for st in graph.subjects(RDF.type, RGO.GuideStatement):
        s = graph.value(st, RDF.subject)
        p = graph.value(st, RDF.predicate)
        o = graph.value(st, RDF.object)
        if s is None or p is None or o is None:
            continue
        out.append(Statement(str(st), str(s), str(p), str(o)))
    return sorted(out, key=lambda x: x.iri)


def facts(graph: Graph, drug: str, predicate: str) -> list[Fact]:
    """The reference statements ``drug rgo:<predicate> ?`` of ``graph``, sorted by IRI."""
    out = []
    pred = URIRef(RGO_NS + predicate)
    for ref in graph.subjects(RDF.subject, URIRef(drug)):
        if (ref, RDF.type, REFERENCE_STATEMENT) not in graph:
            continue
        if graph.value(ref, RDF.predicate) != pred:
            continue
        obj = graph.value(ref, RDF.object)
        action = graph.value(ref, P_ACTION)
        out.append(
            Fact(
                str(ref),
                str(obj) if obj is not None else "",
                str(graph.value(ref, P_QUALIFIER) or ""),
                str(graph.value(ref, OA.exact) or ""),
                _local(str(action)) if action is not None else "",
                str(graph.value(ref, DCTERMS.source) or ""),
            )
        )
    return sorted(out, key=lambda f: f.iri)


def _listing(items: Iterable[str]) -> str:
    return "; ".join(sorted(dict.fromkeys(items)))


def _terms(graph: Graph, rmap: ReferenceMap, node: str) -> tuple[str, ...]:
    return rmap.get(_local(node), "term") or (_label(graph, node).lower(),)


def _negated(text: str, term: str) -> bool:
    return (
        re.search(
            rf"\bnot (?:for|indicated for|approved for)\b[^.;]{{0,60}}{re.escape(term)}", text
        )
        is not None
    )


# ------------------------------------------------------------------------------------------
# The checks
# ------------------------------------------------------------------------------------------
def check_indication(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``drug rgo:treats condition`` against the drug's labelled indications."""
    if st.predicate != RGO_NS + "treats" or not _is_drug(graph, st.subject):
        return None
    indications = facts(graph, st.subject, "labelledIndication")
    if not indications:
        return None
    drug, condition = _label(graph, st.subject), _label(graph, st.object)
    terms = _terms(graph, rmap, st.object)
    positive = [f for f in indications if not any(n in f.qualifier.lower() for n in NEGATIONS)]
    negative = [f for f in indications if f not in positive]
    in_value = [f for f in positive if any(t in f.value.lower() for t in terms)]
    in_qualifier = [
        f for f in positive if f not in in_value and any(t in f.qualifier.lower() for t in terms)
    ]
    denied = [f for f in negative if any(t in f.qualifier.lower() for t in terms)]

    def finding(verdict: str, kind: str | None, reason: str, evidence: list[Fact]) -> Finding:
        return Finding(st.iri, "indication", verdict, kind, reason, tuple(f.iri for f in evidence))

    if in_value:
        exact = [
            f
            for f in in_value
            if f.value.lower() in {*terms, condition.lower()}
            and not any(h in f.qualifier.lower() for h in HEDGES)
        ]
        if exact:
            return finding(
                "Supported",
                None,
                f"The {drug} label lists {exact[0].value!r} among its indications.",
                exact,
            )
        hedges = [f.qualifier for f in in_value if any(h in f.qualifier.lower() for h in HEDGES)]
        hedged = f" (the label adds: {_listing(repr(q) for q in hedges)})" if hedges else ""
        return finding(
            "Imprecise",
            "OversimplifiedPharmacology",
            f"The {drug} label words this use as {_listing(f.value for f in in_value)}{hedged},"
            f" narrower than the claim that {drug} treats {condition}.",
            in_value,
        )
    if in_qualifier:
        return finding(
            "Imprecise",
            "OversimplifiedPharmacology",
            f"The {drug} label mentions {condition} only within another indication"
            f" ({_listing(f.value + ': ' + f.qualifier for f in in_qualifier)}), not as a use of its own.",
            in_qualifier,
        )
    heads = {t.split()[-1] for t in terms}
    related = [f for f in positive if any(h in f.text() for h in heads)]
    if denied and related:
        return finding(
            "Imprecise",
            "OversimplifiedPharmacology",
            f"The {drug} label covers {_listing(f.value + (': ' + f.qualifier if f.qualifier else '') for f in related)},"
            f" but also says: {_listing(f.qualifier for f in denied)}; the claim that {drug} treats"
            f" {condition} is too broad.",
            [*related, *denied],
        )
    if denied:
        return finding(
            "Contradicted",
            "InaccuratePharmacology",
            f"The {drug} label limits its use: {_listing(f.qualifier for f in denied)}.",
            denied,
        )
    # No indication read mentions the condition. That is not evidence against the claim: the
    # reference layer holds the indications that could be read, not every label's whole section
    # (a missing fact is not a negative one), so the check leaves the claim to the curated review.
    return None


def _class_members(graph: Graph, groups: tuple[str, ...]) -> list[str]:
    """The drugs the reference layer files, by ATC code, under one of ``groups``."""
    members = set()
    for ref in graph.subjects(RDF.predicate, RGO.inClass):
        concept = graph.value(ref, RDF.object)
        if concept is None or (concept, SKOS.inScheme, ATC_SCHEME) not in graph:
            continue
        code = graph.value(concept, SKOS.notation)
        drug = graph.value(ref, RDF.subject)
        if code is not None and drug is not None and str(code).startswith(groups):
            members.add(str(drug))
    return sorted(members)


def _route_evidence(
    graph: Graph, drug: str, terms: tuple[str, ...]
) -> tuple[list[Fact], list[Fact]]:
    """The drug's label facts that rule the route out (its routes, warnings and boxed warnings),
    and its labelled routes that are the route."""
    routes = facts(graph, drug, "labelledRoute")
    said = routes + facts(graph, drug, "labelWarning") + facts(graph, drug, "boxedWarning")
    denied = [f for f in said if any(_negated(f.text(), t) for t in terms)]
    return denied, [f for f in routes if f.value.lower() in terms]


def check_class_route(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``class rgo:administrationRoute route``: the labelled routes of the class's members (its
    ATC groups, from the reference map). Only what the labels say counts: members whose labels
    give the route support the claim; a member whose label rules it out contradicts it."""
    groups = rmap.get(_local(st.subject), "atc")
    if not groups:
        return None
    klass, route = _label(graph, st.subject), _label(graph, st.object)
    terms = rmap.get(_local(st.object), "route") or (route.lower(),)
    giving: list[tuple[str, list[Fact]]] = []
    ruling_out: list[tuple[str, list[Fact]]] = []
    for member in _class_members(graph, groups):
        denied, hits = _route_evidence(graph, member, terms)
        if denied:
            ruling_out.append((_label(graph, member), denied))
        elif hits:
            giving.append((_label(graph, member), hits))

    def names(items: Iterable[str]) -> str:
        return ", ".join(sorted(set(items)))

    where = f"ATC {names(groups)}"
    if ruling_out:
        return Finding(
            st.iri, "route", "Contradicted", "InaccuratePharmacology",
            f"The label of {names(n for n, _ in ruling_out)} ({where}: {klass}) rules out the"
            f" {route} route.",
            tuple(f.iri for _, fs in ruling_out for f in fs),
        )  # fmt: skip
    if not giving:
        return None
    return Finding(
        st.iri, "route", "Supported", None,
        f"The labels of {names(n for n, _ in giving)} ({where}: {klass}) give the {route}"
        " route.",
        tuple(f.iri for _, fs in giving for f in fs),
    )  # fmt: skip


def check_route(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``drug rgo:administrationRoute route`` against the labelled routes (a class's: see
    :func:`check_class_route`)."""
    if st.predicate != RGO_NS + "administrationRoute":
        return None
    if not _is_drug(graph, st.subject):
        return check_class_route(graph, st, rmap)
    if not facts(graph, st.subject, "labelledRoute"):
        return None
    drug, route = _label(graph, st.subject), _label(graph, st.object)
    terms = rmap.get(_local(st.object), "route") or (route.lower(),)
    denied, hits = _route_evidence(graph, st.subject, terms)
    if denied:
        return Finding(
            st.iri, "route", "Contradicted", "InaccuratePharmacology",
            f"The {drug} label rules out the {route} route ({_listing(f.quote or f.qualifier for f in denied)}).",
            tuple(f.iri for f in denied),
        )  # fmt: skip
    if hits:
        return Finding(
            st.iri, "route", "Supported", None,
            f"The {drug} label gives {route} as a route of administration.",
            tuple(f.iri for f in hits),
        )  # fmt: skip
    return None  # a route not read is not a route ruled out (see check_indication)


def check_dosage_form(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``drug rgo:hasDosageForm form`` against the labelled dosage forms and routes."""
    if st.predicate != RGO_NS + "hasDosageForm" or not _is_drug(graph, st.subject):
        return None
    forms = facts(graph, st.subject, "labelledDosageForm")
    routes = facts(graph, st.subject, "labelledRoute")
    if not forms and not routes:
        return None
    drug, form = _label(graph, st.subject), _label(graph, st.object)
    form_terms = rmap.get(_local(st.object), "dosage-form") or (form.lower(),)
    route_terms = rmap.get(_local(st.object), "route")
    everything = forms + routes + facts(graph, st.subject, "labelWarning")
    denied = [
        f for f in everything if any(_negated(f.text(), t) for t in (*form_terms, *route_terms))
    ]
    if denied:
        return Finding(
            st.iri, "dosage-form", "Contradicted", "InaccuratePharmacology",
            f"The {drug} label rules out this form ({_listing(f.quote or f.qualifier for f in denied)}).",
            tuple(f.iri for f in denied),
        )  # fmt: skip
    form_hits = [f for f in forms if any(t in f.value.lower() for t in form_terms)]
    route_hits = [f for f in routes if f.value.lower() in route_terms]
    if form_hits and (route_hits or not route_terms):
        return Finding(
            st.iri, "dosage-form", "Supported", None,
            f"The {drug} label describes {_listing(f.value for f in form_hits)}"
            + (f" given by the {_listing(f.value for f in route_hits)} route." if route_hits else "."),
            tuple(f.iri for f in (*form_hits, *route_hits)),
        )  # fmt: skip
    # The route matches but the form does not: a judgement only where the same label's dosage
    # forms were read (it names another form); a form merely not read is no evidence.
    read_forms = [f for f in forms if f.record in {r.record for r in route_hits}]
    if route_hits and read_forms:
        return Finding(
            st.iri, "dosage-form", "Imprecise", "OversimplifiedPharmacology",
            f"The {drug} label names the {_listing(f.value for f in route_hits)} route but calls the"
            f" form {_listing(f.value for f in read_forms)}, not {form}.",
            tuple(f.iri for f in (*route_hits, *read_forms)),
        )  # fmt: skip
    return None


def _targets(graph: Graph, drug: str) -> list[tuple[Fact, str]]:
    """The drug's target statements with the target's gene symbol (its label)."""
    return [(f, _label(graph, f.value)) for f in facts(graph, drug, "hasTarget")]


def _described(targets: list[tuple[Fact, str]]) -> str:
    """'an agonist at GABBR1 and GABBR2' (targets grouped by action type)."""
    by_action: dict[str, list[str]] = {}
    for f, gene in targets:
        action = re.sub(r"(?<!^)(?=[A-Z])", " ", f.action).lower() if f.action else ""
        by_action.setdefault(action, []).append(gene)
    parts = []
    for action, genes in sorted(by_action.items()):
        names = sorted(set(genes))
        at = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        if action:
            article = "an" if action[0] in "aeiou" else "a"
            parts.append(f"{article} {action} at {at}")
        else:
            parts.append(f"acting at {at} (action not given)")
    return "; ".join(parts)


def check_mechanism(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """A mechanism, target or mechanism-defined class claim against targets and action types."""
    predicates = {RGO_NS + "hasMechanism", RGO_NS + "targets", str(RDF.type)}
    if st.predicate not in predicates or not _is_drug(graph, st.subject):
        return None
    prefixes = rmap.get(_local(st.object), "gene-prefix")
    if not prefixes:
        return None
    targets = _targets(graph, st.subject)
    if not targets:
        return None
    actions = rmap.get(_local(st.object), "action")
    drug, claim = _label(graph, st.subject), _label(graph, st.object)
    relevant = [(f, g) for f, g in targets if g.startswith(prefixes)]
    described = _described(targets)

    def finding(verdict: str, kind: str | None, reason: str, evidence: Iterable[Fact]) -> Finding:
        return Finding(st.iri, "mechanism", verdict, kind, reason, tuple(f.iri for f in evidence))

    if not relevant:
        return finding(
            "Unsupported",
            "OversimplifiedPharmacology",
            f"The reference layer lists {drug} as {described}; none of these targets fits {claim}.",
            [f for f, _ in targets],
        )
    if actions and not any(f.action in actions for f, _ in relevant):
        return finding(
            "Contradicted",
            "InaccuratePharmacology",
            f"The reference layer lists {drug} as {described}, which is not {claim}.",
            [f for f, _ in relevant],
        )
    unused = [p for p in prefixes if not any(g.startswith(p) for _, g in relevant)]
    if unused:
        return finding(
            "Imprecise",
            "OversimplifiedPharmacology",
            f"The reference layer lists {drug} as {described} only, narrower than {claim}.",
            [f for f, _ in relevant],
        )
    return finding(
        "Supported",
        None,
        f"The reference layer lists {drug} as {described}, as the claim says.",
        [f for f, _ in relevant],
    )


def _atc_codes(graph: Graph, drug: str) -> list[tuple[Fact, str]]:
    out = []
    for f in facts(graph, drug, "inClass"):
        concept = URIRef(f.value)
        if (concept, SKOS.inScheme, ATC_SCHEME) in graph:
            code = graph.value(concept, SKOS.notation)
            if code is not None:
                out.append((f, str(code)))
    return out


def _class_of(graph: Graph, st: Statement) -> str | None:
    if st.predicate == str(RDF.type):
        return st.object
    if st.predicate == RGO_NS + "listedExample":
        cls = graph.value(URIRef(st.subject), RGO.listsClass)
        return str(cls) if cls is not None else None
    return None


def check_class_membership(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``drug a class`` (or a class-list entry's example) against the drug's ATC codes."""
    cls = _class_of(graph, st)
    drug_node = st.object if st.predicate == RGO_NS + "listedExample" else st.subject
    if cls is None or not _is_drug(graph, drug_node):
        return None
    groups = rmap.get(_local(cls), "atc")
    codes = _atc_codes(graph, drug_node)
    if not groups or not codes:
        return None
    drug, klass = _label(graph, drug_node), _label(graph, cls)
    inside = [(f, c) for f, c in codes if c.startswith(groups)]
    outside = [(f, c) for f, c in codes if (f, c) not in inside]
    where = _listing(groups)
    matched = _listing(g for g in groups if any(c.startswith(g) for _, c in inside))
    if inside and not outside:
        return Finding(
            st.iri, "class-membership", "Supported", None,
            f"WHO ATC files {drug} under {_listing(c for _, c in inside)}, within {matched} ({klass}).",
            tuple(f.iri for f, _ in inside),
        )  # fmt: skip
    if inside:
        return Finding(
            st.iri, "class-membership", "Imprecise", "OversimplifiedPharmacology",
            f"WHO ATC files {drug} under {_listing(c for _, c in inside)} ({klass}) but also under"
            f" {_listing(c for _, c in outside)}, outside {where}.",
            tuple(f.iri for f, _ in codes),
        )  # fmt: skip
    return Finding(
        st.iri, "class-membership", "Contradicted", "InaccuratePharmacology",
        f"WHO ATC files {drug} under {_listing(c for _, c in outside)}, outside {where} ({klass}).",
        tuple(f.iri for f, _ in outside),
    )  # fmt: skip


def check_safety(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """A withdrawal symptom or side effect against boxed warnings, warnings and adverse reactions."""
    withdrawal = st.predicate == RGO_NS + "hasWithdrawalSymptom"
    if not (withdrawal or st.predicate == RGO_NS + "hasSideEffect") or not _is_drug(
        graph, st.subject
    ):
        return None
    warnings = [
        *facts(graph, st.subject, "boxedWarning"),
        *facts(graph, st.subject, "labelWarning"),
        *facts(graph, st.subject, "adverseReaction"),
    ]
    if not warnings:
        return None
    drug, symptom = _label(graph, st.subject), _label(graph, st.object)
    terms = _terms(graph, rmap, st.object)
    denied = [
        f
        for f in warnings
        if any(re.search(rf"\b(?:no|not)\b[^.;]{{0,40}}{re.escape(t)}", f.text()) for t in terms)
    ]
    if denied:
        return Finding(
            st.iri, "safety", "Contradicted", "InaccuratePharmacology",
            f"The {drug} label says otherwise: {_listing(f.quote or f.value for f in denied)}",
            tuple(f.iri for f in denied),
        )  # fmt: skip
    named = [f for f in warnings if any(t in f.text() for t in terms)]
    if named:
        return Finding(
            st.iri, "safety", "Supported", None,
            f"The {drug} label names {symptom}: {_listing(f.value for f in named)}.",
            tuple(f.iri for f in named),
        )  # fmt: skip
    stopping = [
        f
        for f in warnings
        if re.search(r"discontinu|withdraw", f.value.lower() + " " + f.quote.lower())
    ]
    if withdrawal and stopping:
        described = _listing(
            f"{f.value} ({f.qualifier})" if f.qualifier else f.value for f in stopping
        )
        return Finding(
            st.iri, "safety", "Imprecise", "MissingSafetyInformation",
            f"The {drug} label's warning on stopping ({described}) describes other, graver signs"
            f" and does not name {symptom}; the guide's picture of withdrawal is incomplete.",
            tuple(f.iri for f in stopping),
        )  # fmt: skip
    return None


def _brands(graph: Graph, drug: str) -> list[tuple[Fact, str]]:
    """The brand-name statements of the drug's substance forms, with the brand's text."""
    out = []
    for form in facts(graph, drug, "hasForm"):
        out += [(f, f.value) for f in facts(graph, form.value, "brandName")]
    return out


def _brand_owners(graph: Graph, brand: str) -> dict[str, list[str]]:
    """Drug -> brand statements naming ``brand`` (case-insensitive) on one of its forms."""
    owners: dict[str, list[str]] = {}
    for ref in graph.subjects(RDF.predicate, URIRef(RGO_NS + "brandName")):
        obj = graph.value(ref, RDF.object)
        form = graph.value(ref, RDF.subject)
        if obj is None or form is None or str(obj).lower() != brand.lower():
            continue
        for has in graph.subjects(RDF.object, form):
            if graph.value(has, RDF.predicate) == URIRef(RGO_NS + "hasForm"):
                drug = graph.value(has, RDF.subject)
                if drug is not None:
                    owners.setdefault(str(drug), []).append(str(ref))
    return owners


def check_brand(graph: Graph, st: Statement, rmap: ReferenceMap) -> Finding | None:
    """``brand rgo:brandOf drug`` against the brand names the FDA UNII list records."""
    if st.predicate != RGO_NS + "brandOf" or not _is_drug(graph, st.object):
        return None
    brand, drug = _label(graph, st.subject), _label(graph, st.object)
    owners = _brand_owners(graph, brand)
    if st.object in owners:
        return Finding(
            st.iri, "brand", "Supported", None,
            f"The FDA substance list records {brand.upper()} as a brand name of {drug}.",
            tuple(sorted(owners[st.object])),
        )  # fmt: skip
    if owners:
        others = _listing(_label(graph, d) for d in owners)
        return Finding(
            st.iri, "brand", "Contradicted", "InaccuratePharmacology",
            f"The FDA substance list records {brand.upper()} as a brand name of {others}, not of {drug}.",
            tuple(sorted(r for refs in owners.values() for r in refs)),
        )  # fmt: skip
    known = _brands(graph, st.object)
    if not known:
        return None
    return Finding(
        st.iri, "brand", "Unsupported", "UnsupportedClaim",
        f"The FDA substance list records other brand names of {drug} ({_listing(b for _, b in known)}), not {brand}.",
        tuple(sorted(f.iri for f, _ in known)),
    )  # fmt: skip


Check = Callable[[Graph, Statement, ReferenceMap], "Finding | None"]
CHECKS: dict[str, Check] = {
    "indication": check_indication,
    "route": check_route,
    "dosage-form": check_dosage_form,
    "mechanism": check_mechanism,
    "class-membership": check_class_membership,
    "safety": check_safety,
    "brand": check_brand,
}


def run_checks(graph: Graph, rmap: ReferenceMap) -> Iterator[Finding]:
    """Every finding of every check, statement by statement (a statement may have several)."""
    for st in guide_statements(graph):
        for check in CHECKS.values():
            found = check(graph, st, rmap)
            if found is not None:
                yield found


SEVERITY = ("Contradicted", "Inconsistent", "Unsupported", "Imprecise", "NotCheckable", "Supported")


def compute(graph: Graph, rmap: ReferenceMap) -> dict[str, Finding]:
    """One finding per statement that some check can judge: the most severe when several can."""
    out: dict[str, Finding] = {}
    for found in run_checks(graph, rmap):
        old = out.get(found.statement)
        if old is None or SEVERITY.index(found.verdict) < SEVERITY.index(old.verdict):
            out[found.statement] = found
    return out


# ------------------------------------------------------------------------------------------
# Reading the assessments layer (for `relaxgraph check`, `report`, the viewer)
# ------------------------------------------------------------------------------------------
VERDICT_LABELS = {
    "Contradicted": "contradicted",
    "Inconsistent": "inconsistent with the guide itself",
    "Unsupported": "unsupported, no source given",
    "Imprecise": "supported but imprecise or oversimplified",
    "NotCheckable": "not checkable",
    "Supported": "supported",
}
#: The CLI's and report's names of the verdicts, most severe first.
VERDICT_NAMES = {
    "Contradicted": "contradicted",
    "Inconsistent": "inconsistent",
    "Unsupported": "unsupported",
    "Imprecise": "imprecise",
    "NotCheckable": "not-checkable",
    "Supported": "supported",
}


@dataclass(frozen=True)
class Passage:
    """A stretch of the guide a claim or reviewed row is about."""

    start: int
    end: int
    exact: str
    section: int | None
    heading: str | None


@dataclass(frozen=True)
class Evidence:
    """One piece of what an assessment rests on."""

    iri: str
    kind: str  # reference, excerpt, assessment, quote, statement, flag, other
    text: str
    link: str | None  # the public record (an http(s) IRI), if any


@dataclass
class Assessed:
    """One assessment read from the graph: a statement's or a reviewed passage's."""

    iri: str
    verdict: str  # local name of the rgo:Verdict
    kind: str | None
    reason: str
    method: str  # Computed or Curated
    check: str | None
    review_id: str | None
    statement: str | None
    claim: str  # the statement in words ("baclofen treats multiple sclerosis"), or the passage
    evidence_kind: str | None
    passages: list[Passage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def verdict_name(self) -> str:
        return VERDICT_NAMES.get(self.verdict, self.verdict)

    @property
    def kind_name(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "-", self.kind).lower() if self.kind else ""

    def as_dict(self) -> dict[str, object]:
        return {
            "assessment": self.iri,
            "verdict": self.verdict_name,
            "kind": self.kind_name or None,
            "reason": self.reason,
            "method": self.method.lower(),
            "check": self.check,
            "review_id": self.review_id,
            "statement": self.statement,
            "claim": self.claim,
            "evidence_kind": self.evidence_kind,
            "passages": [
                {
                    "section": p.section,
                    "heading": p.heading,
                    "start": p.start,
                    "end": p.end,
                    "quote": p.exact,
                }
                for p in self.passages
            ],
            "evidence": [
                {"iri": e.iri, "kind": e.kind, "text": e.text, "link": e.link}
                for e in self.evidence
            ],
        }


def _v(term: object) -> str | None:
    return None if term is None else str(getattr(term, "value", term))


def _evidence_kind(type_iri: str | None, link: str) -> str:
    if link == "flag":
        return "flag"
    if type_iri is None:
        return "quote"  # a passage of the guide (an oa:TextQuoteSelector of the assessments layer)
    local = _local(type_iri)
    return {
        "ReferenceStatement": "reference",
        "LabelExcerpt": "excerpt",
        "Assessment": "assessment",
        "Quote": "quote",
        "GuideStatement": "statement",
    }.get(local, "other")


def read_assessments(engine: object | None = None) -> list[Assessed]:
    """Every assessment of ``engine`` (default: the bundled graph), statements first, by IRI."""
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    if engine is None:
        from ..api import default_engine

        engine = default_engine()
    found: dict[str, Assessed] = {}
    for row in run(engine, internal("assessments").text).terms:  # type: ignore[arg-type]
        (
            a,
            verdict,
            kind,
            reason,
            method,
            check,
            rid,
            st,
            sl,
            pl,
            ol,
            evkind,
            _q,
            exact,
            start,
            end,
            number,
            heading,
        ) = (_v(t) for t in row)
        assert a is not None and verdict is not None and reason is not None and method is not None
        item = found.get(a)
        if item is None:
            claim = " ".join(x for x in (sl, pl, ol) if x) if st else ""
            item = found[a] = Assessed(
                a, _local(verdict), _local(kind) if kind else None, reason, _local(method),
                check, rid, st, claim, _local(evkind) if evkind else None,
            )  # fmt: skip
        if exact is not None and start is not None and end is not None:
            p = Passage(int(start), int(end), exact, int(number) if number else None, heading)
            if p not in item.passages:
                item.passages.append(p)
    for row in run(engine, internal("assessment-evidence").text).terms:  # type: ignore[arg-type]
        a, link, e, typ, exact, source, sl, pl, ol, rid, reason = (_v(t) for t in row)
        if a not in found or e is None or link is None:
            continue
        kind = _evidence_kind(typ, link)
        if kind == "flag":
            text = reason or e
        elif kind == "reference":
            text = " ".join(x for x in (sl, pl, ol) if x) + (
                f": \u201c{exact}\u201d" if exact else ""
            )
        elif kind == "assessment":
            text = f"{rid}: {found[e].reason}" if rid and e in found else (rid or e)
        else:
            text = exact or e
        record = source if source and source.startswith(("https://", "http://")) else None
        ev = Evidence(e, kind, text, record)
        if ev not in found[a].evidence:
            found[a].evidence.append(ev)
    items = list(found.values())
    for item in items:
        item.passages.sort(key=lambda p: p.start)
        if not item.claim and item.passages:
            item.claim = item.passages[0].exact
        item.evidence.sort(key=lambda e: (e.kind, e.iri))
    return sorted(items, key=lambda x: (x.statement is None, x.iri))


def summary(items: Iterable[Assessed]) -> dict[str, dict[str, dict[str, int]]]:
    """Counts by verdict and by kind, for statements and for reviewed passages."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for item in items:
        scope = out.setdefault(
            "statements" if item.statement else "passages", {"verdict": {}, "kind": {}}
        )
        scope["verdict"][item.verdict_name] = scope["verdict"].get(item.verdict_name, 0) + 1
        kind = item.kind_name or "none"
        scope["kind"][kind] = scope["kind"].get(kind, 0) + 1
    return out
