"""The browser workbench: home, entity pages, the query page, the network and the guide.

Every page is rendered here, from the library (:func:`relaxgraph.views.description.describe`,
the catalogue, the layer registry, the network of :mod:`relaxgraph.views.network`), as one HTML
string. ``relaxgraph serve`` answers them at ``/``, ``/id/NAME``, ``/query``, ``/network`` and
``/guide`` (:mod:`relaxgraph.server.pages`); :func:`write_site` writes the same pages as a
static site that opens from ``file://``. Links between pages are relative, so one rendering
serves both: a :class:`Links` says whether page names carry ``.html``.

Scripts and styles are files of the package (``views/static``: vis-network and YASQE, each
vendored with its licence, version and sha256, plus the site's own ``site.js`` and
``site.css``); no page refers to another host. Data reaches a page only as JSON in a
``<script type="application/json">`` element and is shown with ``textContent``, and every
text written into the HTML is escaped, so a hostile label stays inert.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._iris import PREFIXES, RG_NS, RGO_NS

if TYPE_CHECKING:
    from ..querying.catalogue import CatalogueQuery
    from ..querying.sparql import Engine
    from .description import Description, Relation

__all__ = [
    "STATIC_FILES",
    "YASQE_SHA256",
    "YASQE_VERSION",
    "Links",
    "SiteRenderer",
    "entity_slug",
    "static_file",
]

#: YASQE (the SPARQL editor of YASGUI, MIT), vendored unmodified in ``views/static/yasqe``.
YASQE_VERSION = "4.2.28"
YASQE_SHA256 = {
    "yasqe.min.js": "d9340559e433b4d05979e87f197882ee0dcbee9a7560852f6d74eecbe7df30c0",
    "yasqe.min.css": "117eb023f4f2b8b661075ede627a36290ea07252ae00e1b69b4bad279f1c3a14",
    "LICENSE": "8f71659370c5268d9a1dc962a46232540e8fca63462586d8efaa95aab492a208",
}

#: The files a page may load, by their path under ``static/`` (and their media types).
STATIC_FILES: dict[str, str] = {
    "site.css": "text/css; charset=utf-8",
    "site.js": "text/javascript; charset=utf-8",
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "yasqe/yasqe.min.js": "text/javascript; charset=utf-8",
    "yasqe/yasqe.min.css": "text/css; charset=utf-8",
    "yasqe/LICENSE": "text/plain; charset=utf-8",
    "LICENSE-MIT": "text/plain; charset=utf-8",
    "LICENSE-APACHE-2.0": "text/plain; charset=utf-8",
}

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
#: Neighbourhoods larger than this are cut to the best-connected nodes on an entity page.
NEIGHBOURHOOD_LIMIT = 60

Mode = Literal["live", "static"]

#: Internal queries (``queries/internal/``): an entity's triples, the terms to complete, and
#: the text the editor starts with.
ENTITY_TRIPLES_QUERY = "site-entity-triples"
TERMS_QUERY = "site-terms"
STARTER_QUERY = "site-starter"
REFERENCE_QUERY = "site-reference-facts"
VERDICTS_QUERY = "site-verdicts"
ASSESSED_QUERY = "site-assessed-entities"
IDENTIFIERS_QUERY = "site-identifiers"

#: Fields a description may carry beyond the base ones, with their section titles; any other
#: field is shown too, under its own name. ``identifiers`` and ``reference`` have the page's
#: own sections (identifiers linked to their records; each reference fact with its source's
#: page, licence, record and date, from ``queries/internal/site-reference-facts.rq``).
EXTRA_TITLES = {
    "flags": "Flags on this entity",
    "assessments": "Assessments of the guide's claims about it",
}
SHOWN_ELSEWHERE = {"identifiers", "reference"}


def static_file(name: str) -> bytes:
    """The bytes of a file under ``views/static`` (only the names of :data:`STATIC_FILES`)."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    node = files("relaxgraph.views") / "static"
    for part in name.split("/"):
        node = node / part
    return node.read_bytes()


def entity_slug(iri: str) -> str | None:
    """The page name of an entity (``baclofen`` for ``rg:baclofen``), or None if it has no page.

    >>> entity_slug("https://w3id.org/relaxgraph/id/baclofen")
    'baclofen'
    >>> entity_slug("https://w3id.org/relaxgraph/ontology#Drug") is None
    True
    """
    if not iri.startswith(RG_NS):
        return None
    local = iri[len(RG_NS) :]
    return local if _SLUG.match(local) else None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Links:
    """Where a page's links point: relative to ``root``, with ``ext`` (``".html"`` on disk)."""

    root: str = ""
    ext: str = ""

    def page(self, name: str) -> str:
        if name == "home":
            return self.root + "index.html" if self.ext else self.root or "./"
        return f"{self.root}{name}{self.ext}"

    def entity(self, slug: str) -> str:
        return f"{self.root}id/{slug}{self.ext}"

    def static(self, name: str) -> str:
        return f"{self.root}static/{name}"


@dataclass
class Limits:
    """The live endpoint's limits, shown on the query page."""

    timeout: float = 30.0
    max_rows: int = 10_000


@dataclass
class SiteRenderer:
    """Renders every page of the site from ``engine``.

    ``mode`` is ``"live"`` (served by ``relaxgraph serve``: the query page runs queries) or
    ``"static"`` (files: the query page shows the catalogue with results computed ahead).
    ``report`` renders the annotated guide (``render_report(graph, fmt="html")``) when the
    library has it.
    """

    engine: Engine
    mode: Mode = "live"
    limits: Limits = field(default_factory=Limits)
    report: Callable[[], str] | None = None

    def __post_init__(self) -> None:
        from ..querying.resolve import index

        self.index = index(self.engine)
        self._whole: Any = None
        self.links = Links("", ".html" if self.mode == "static" else "")

    # --- names ----------------------------------------------------------------------------

    def entity_iris(self) -> list[str]:
        """Every entity with a page, sorted by label."""
        with_pages = [e for e in self.index.entities.values() if entity_slug(e.iri)]
        return [e.iri for e in sorted(with_pages, key=lambda e: (e.label.casefold(), e.iri))]

    def iri_of(self, slug: str) -> str | None:
        """The IRI of the entity whose page is ``slug``, or None."""
        iri = RG_NS + slug
        return iri if _SLUG.match(slug) and iri in self.index.entities else None

    def label_of(self, iri: str) -> str:
        entity = self.index.entities.get(iri)
        if entity is not None and entity.label:
            return entity.label
        return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def names(self) -> list[dict[str, str]]:
        """Every entity name for completion: label, kinds, page and the name itself."""
        out = []
        for iri in self.entity_iris():
            e = self.index.entities[iri]
            kinds = sorted(t[len(RGO_NS) :] for t in e.types if t.startswith(RGO_NS))
            supers = sorted(
                {s[len(RGO_NS) :] for t in e.types for s in self.index.superclasses.get(t, ())}
            )
            out.append(
                {
                    "label": e.label or iri,
                    "slug": entity_slug(iri) or "",
                    "kinds": " ".join(sorted({*kinds, *supers})),
                }
            )
        return out

    def entity_link(self, iri: str, label: str | None, links: Links) -> str:
        """An entity as a link to its page (or its label and CURIE when it has none)."""
        from ..data.identifiers import compact

        shown = label or self.label_of(iri)
        slug = entity_slug(iri)
        if slug is not None and iri in self.index.entities:
            return f'<a href="{_e(links.entity(slug))}">{_e(shown)}</a>'
        if iri.startswith(RGO_NS) or not shown:
            return f"<span>{_e(shown)}</span> <code>{_e(compact(iri))}</code>"
        return f"<span>{_e(shown)}</span>"

    # --- the frame ------------------------------------------------------------------------

    def frame(
        self,
        title: str,
        body: str,
        links: Links,
        page: str,
        data: Any = None,
        head: str = "",
        scripts: Sequence[str] = (),
    ) -> str:
        from .viz import _json_for_script

        nav_items = [("home", "Home"), ("query", "Query"), ("network", "Network")]
        if self.report is not None:
            nav_items.append(("guide", "Annotated guide"))
        nav = "".join(
            f'<li><a href="{_e(links.page(name))}"'
            + (' aria-current="page"' if name == page else "")
            + f">{text}</a></li>"
            for name, text in nav_items
        )
        payload = (
            f'<script type="application/json" id="rg-data">{_json_for_script(data)}</script>\n'
            if data is not None
            else ""
        )
        tags = "".join(f'<script src="{_e(links.static(s))}"></script>\n' for s in scripts)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)} · relaxgraph</title>\n"
            '<link rel="icon" href="data:,">\n'
            f'{head}<link rel="stylesheet" href="{_e(links.static("site.css"))}">\n'
            f'</head>\n<body data-page="{_e(page)}" data-mode="{self.mode}" '
            f'data-root="{_e(links.root)}" data-ext="{_e(links.ext)}">\n'
            '<a class="skip" href="#main">Skip to the content</a>\n'
            '<header><nav aria-label="Site"><span class="brand">relaxgraph</span>'
            f"<ul>{nav}</ul></nav></header>\n"
            f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
            "<footer><p>relaxgraph: a knowledge graph of what one consumer guide says about "
            "baclofen and muscle relaxants, beside reference sources. Not medical advice.</p>"
            "</footer>\n"
            f"{payload}{tags}"
            f'<script src="{_e(links.static("site.js"))}"></script>\n'
            "</body>\n</html>\n"
        )

    # --- home -----------------------------------------------------------------------------

    def home(self) -> str:
        """What is in the graph: its layers with counts and licences, and every entity by kind."""
        from ..data.layer_registry import layers

        links = self.links
        store = getattr(self.engine, "store", None)
        rows = []
        for summary in layers(store=store):
            layer = summary.layer
            count = "not loaded" if summary.triples is None else f"{summary.triples:,}"
            rows.append(
                f'<tr><th scope="row">{_e(layer.title or layer.id)}<br><code>{_e(layer.id)}</code></th>'
                f'<td class="num">{_e(count)}</td><td>{_e(layer.licence)}</td>'
                f"<td>{_e(layer.source)}</td><td>{_e(layer.attribution)}</td></tr>"
            )
        by_kind: dict[str, list[str]] = {}
        for iri in self.entity_iris():
            by_kind.setdefault(self.index.entities[iri].kind, []).append(iri)
        groups = []
        for kind in sorted(by_kind, key=lambda k: (-len(by_kind[k]), k)):
            items = "".join(f"<li>{self.entity_link(i, None, links)}</li>" for i in by_kind[kind])
            groups.append(
                f"<details><summary>{_e(_kind_label(kind))} ({len(by_kind[kind])})</summary>"
                f'<ul class="cols">{items}</ul></details>'
            )
        guide = (
            f'<li><a href="{_e(links.page("guide"))}">The annotated guide</a>: the guide\'s text '
            "with each claim marked and assessed.</li>"
            if self.report is not None
            else ""
        )
        query_note = (
            "the catalogue of named queries and a SPARQL editor"
            if self.mode == "live"
            else "the catalogue of named queries with their results computed when this site "
            "was written (live queries need <code>relaxgraph serve</code>)"
        )
        body = (
            "<h1>relaxgraph</h1>\n"
            "<p>A knowledge graph of what one consumer guide claims about baclofen and other "
            "muscle relaxants (each claim with its quote and section), kept apart from "
            "reference sources and from our assessments.</p>\n"
            f'<ul><li><a href="{_e(links.page("query"))}">Query</a>: {query_note}.</li>'
            f'<li><a href="{_e(links.page("network"))}">Network</a>: every entity and link, '
            f"drawn.</li>{guide}</ul>\n"
            '<form id="find" class="find" role="search"><label for="find-name">Find an entity'
            '</label> <input id="find-name" list="names-all" autocomplete="off" '
            'aria-describedby="find-hint"> <button type="submit">Open its page</button> '
            '<span id="find-hint" class="note">by its name, a synonym or a brand name</span>'
            '<span id="find-error" role="alert"></span></form>\n'
            f"{self._datalist(None)}\n"
            '<h2 id="layers">What is in the graph, by layer</h2>\n'
            '<div class="scroll"><table><caption>Each layer is one source in its own named '
            "graph; queries see their union.</caption>"
            '<thead><tr><th scope="col">layer</th><th scope="col">triples</th>'
            '<th scope="col">licence</th><th scope="col">source</th>'
            '<th scope="col">attribution</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>\n"
            f'<h2 id="entities">Entities ({sum(len(v) for v in by_kind.values())}), by kind</h2>\n'
            + "\n".join(groups)
        )
        names: dict[str, str | None] = {}
        for iri in self.entity_iris():
            entity = self.index.entities[iri]
            for name in {entity.label, *entity.names}:
                names.setdefault(name.casefold(), entity_slug(iri))
        return self.frame("Home", body, links, "home", {"names": names})

    # --- entity pages ---------------------------------------------------------------------

    def entity(self, iri: str) -> str:
        """The page of one entity (see the module's description)."""
        from ..data.identifiers import compact
        from .description import describe

        links = Links("../", self.links.ext)
        desc = describe(iri, self.engine)
        parts = [
            f"<h1>{_e(desc.label)}</h1>",
            f'<p class="kind">{_e(_kind_label(desc.kind))} · <code>{_e(compact(desc.iri))}</code>'
            f' · <span class="iri">{_e(desc.iri)}</span></p>',
        ]
        others = sorted(n for n in desc.names if n != desc.label)
        if others:
            parts.append(
                "<p><strong>Also known as:</strong> " + ", ".join(_e(n) for n in others) + "</p>"
            )
        parts.append(self._identifiers(desc))
        parts.append(self._claims(desc, links))
        parts.append(self._reference(iri, desc, links))
        parts.append(self._extras(desc))
        parts.append(self._links(desc, links, "out"))
        parts.append(self._links(desc, links, "in"))
        parts.append(self._mentions(desc))
        network = self._neighbourhood(iri)
        if network is not None:
            parts.append(
                '<section aria-labelledby="h-network"><h2 id="h-network">Neighbourhood</h2>'
                '<p class="note">The entity and what it links to directly. Select a node to '
                "open its page.</p>"
                '<div id="network" class="network" role="img" aria-label="Network of '
                f'{_e(desc.label)} and its neighbours"></div></section>'
            )
        slug = entity_slug(iri) or ""
        rdf = [("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD")]
        downloads = " · ".join(
            f'<a href="{_e(slug + "." + ext)}" download>{name}</a>'
            if self.mode == "static"
            else f'<a href="{_e(slug)}?format={ext}">{name}</a>'
            for ext, name in rdf
        )
        parts.append(f"<p>This entity as RDF: {downloads}.</p>")
        parts.insert(3 if others else 2, _contents(parts))
        data = {"network": network, "focus": iri} if network is not None else None
        scripts = ["vis-network.min.js"] if network is not None else []
        return self.frame(
            desc.label, "\n".join(p for p in parts if p), links, "entity", data, scripts=scripts
        )

    def _identifiers(self, desc: Description) -> str:
        import pyoxigraph as ox

        from ..data.identifiers import schemes
        from ..querying.catalogue import internal
        from ..querying.sparql import run

        known = schemes()
        items: list[str] = []
        result = run(self.engine, internal(IDENTIFIERS_QUERY).text, {"e": ox.NamedNode(desc.iri)})
        for p, label, value in result.terms:
            if p is None or value is None or not p.value.startswith(RGO_NS):
                continue
            if p.value[len(RGO_NS) :] in known:
                name = label.value if label is not None else _local(p.value)
                item = f"<li>{_e(name)}: {_identifier_html(p.value, value.value)}</li>"
                if item not in items:
                    items.append(item)
        props = []
        for r in desc.relations:
            if r.direction != "out" or "://" in r.value or r.quote:
                continue
            if r.property.startswith(RGO_NS) and _local(r.property) in known:
                continue
            item = f"<li>{_e(r.property_label or _local(r.property))}: {_e(r.value)}</li>"
            if item not in props:
                props.append(item)
        out = ""
        if items:
            out += (
                '<section aria-labelledby="h-ids"><h2 id="h-ids">Identifiers</h2>'
                f"<ul>{''.join(items)}</ul></section>"
            )
        if props:
            out += (
                '<section aria-labelledby="h-props"><h2 id="h-props">Properties</h2>'
                f"<ul>{''.join(props)}</ul></section>"
            )
        return out

    def _claims(self, desc: Description, links: Links) -> str:
        rows = []
        known = {f.name for f in dataclasses.fields(_relation_type())}
        base = {
            "direction", "property", "property_label", "value", "value_label",
            "section", "quote", "evidence_kind", "flag",
        }  # fmt: skip
        verdicts = self._verdicts(desc.iri)
        order = {"out": 0, "in": 1}
        for r in sorted(desc.relations, key=lambda r: order.get(r.direction, 2)):
            if r.direction == "mention" or not r.quote:
                continue
            claim = self._statement(desc, r, links)
            extra = _extra_fields(r, base, known)
            verdict = "".join(
                f'<p class="verdict"><strong>{_e(label)}:</strong> {_e(reason)}</p>'
                for label, reason in verdicts.get(
                    (r.direction, r.property, r.value, " ".join(r.quote.split())), []
                )
            )
            if r.flag:
                verdict += f'<p class="flag"><strong>Flagged:</strong> {_e(r.flag)}</p>'
            verdict += extra
            rows.append(
                f"<tr><td>{claim}</td><td><blockquote>{_e(' '.join(r.quote.split()))}</blockquote></td>"
                f"<td>{_e(r.section or '')}</td><td>{_e(_kind_label(r.evidence_kind or ''))}</td>"
                f"<td>{verdict}</td></tr>"
            )
        if not rows:
            return ""
        return (
            '<section aria-labelledby="h-claims"><h2 id="h-claims">What the guide claims</h2>'
            '<div class="scroll"><table class="claims"><caption>Each claim with the guide\'s own '
            "words, where it says them, and any flag or assessment.</caption>"
            '<thead><tr><th scope="col">claim</th><th scope="col">quote</th>'
            '<th scope="col">section</th><th scope="col">evidence</th>'
            '<th scope="col">verdict, flags</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></section>"
        )

    def _reference(self, iri: str, desc: Description, links: Links) -> str:
        """What the reference sources say about the entity: each fact with its source."""
        import pyoxigraph as ox

        from ..querying.catalogue import internal
        from ..querying.sparql import run

        result = run(self.engine, internal(REFERENCE_QUERY).text, {"e": ox.NamedNode(iri)})
        rows = []
        seen: set[str] = set()
        for row in result.terms:
            v = [None if t is None else t.value for t in row]
            st, direction, p, plabel, other, olabel, quote, qualifier, action = v[:9]
            dataset, dlabel, licence, record, retrieved = v[9:]
            if st is None or st in seen:
                continue
            seen.add(st)
            prop = _e(plabel or ("is a" if (p or "").endswith("#type") else _local(p or "")))
            is_iri = row[4] is not None and type(row[4]).__name__ == "NamedNode"
            shown = (
                self.entity_link(other or "", olabel, links)
                if is_iri
                else _identifier_html(p or "", other or "")
            )
            me = f"<strong>{_e(desc.label)}</strong>"
            fact = f"{me} {prop} {shown}" if direction == "out" else f"{shown} {prop} {me}"
            detail = ""
            if quote:
                detail += f"<blockquote>{_e(' '.join(quote.split()))}</blockquote>"
            for name, value in (("action", action), ("qualifier", qualifier)):
                if value:
                    detail += f"<p><strong>{name}:</strong> {_e(value)}</p>"
            source = self.entity_link(dataset, dlabel, links) if dataset else ""
            if licence:
                source += (
                    f' (<a href="{_e(licence)}">{_e(licence_name(licence))}</a>)'
                    if _is_web(licence)
                    else ""
                )
            if record and _is_web(record) and not record.startswith(RG_NS):
                source += f'<br><a href="{_e(record)}">{_e(record_name(record))}</a>'
            if retrieved:
                source += f'<br><span class="where">read {_e(retrieved)}</span>'
            rows.append(f"<tr><td>{fact}</td><td>{detail}</td><td>{source}</td></tr>")
        if not rows:
            return ""
        return (
            '<section aria-labelledby="h-reference"><h2 id="h-reference">What the reference '
            'sources say</h2><div class="scroll"><table class="reference"><caption>Each fact '
            "as its source gives it (sources may disagree), with the record read and the "
            "source's licence.</caption>"
            '<thead><tr><th scope="col">fact</th><th scope="col">quote, detail</th>'
            '<th scope="col">source</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></section>"
        )

    def _verdicts(self, iri: str) -> dict[tuple[str, str, str, str], list[tuple[str, str]]]:
        """The assessments of the guide's statements about ``iri``, by (direction, property,
        other side, quote): each as (verdict, reason)."""
        import pyoxigraph as ox

        from ..querying.catalogue import internal
        from ..querying.sparql import run

        out: dict[tuple[str, str, str, str], list[tuple[str, str]]] = {}
        result = run(self.engine, internal(VERDICTS_QUERY).text, {"e": ox.NamedNode(iri)})
        for row in result.terms:
            direction, p, other, exact, verdict, label, reason = (
                "" if t is None else t.value for t in row
            )
            key = (direction, p, other, " ".join(exact.split()))
            shown = (label or _local(verdict), reason)
            if shown not in out.setdefault(key, []):
                out[key].append(shown)
        return out

    def _statement(self, desc: Description, r: Relation, links: Links) -> str:
        prop = _e(r.property_label or _local(r.property) or "is a")
        if r.property.endswith("#type") and not r.property_label:
            prop = "is a"
        if "://" in r.value:
            other = self.entity_link(r.value, r.value_label or None, links)
        else:
            other = _e(r.value)
        me = f"<strong>{_e(desc.label)}</strong>"
        return f"{me} {prop} {other}" if r.direction == "out" else f"{other} {prop} {me}"

    def _extras(self, desc: Description) -> str:
        """Lists the description gains beyond the base fields (reference facts, assessments)."""
        base = {"iri", "label", "kind", "names", "relations", *SHOWN_ELSEWHERE}
        out = []
        for f in dataclasses.fields(desc):
            if f.name in base:
                continue
            value = getattr(desc, f.name)
            if not value:
                continue
            title = EXTRA_TITLES.get(f.name, f.name.replace("_", " ").capitalize())
            hid = "h-" + re.sub(r"[^a-z0-9]+", "-", f.name.lower())
            items = value if isinstance(value, list | tuple) else [value]
            rendered = "".join(f"<li>{_render_value(item, self, desc)}</li>" for item in items)
            out.append(
                f'<section aria-labelledby="{hid}"><h2 id="{hid}">{_e(title)}</h2>'
                f'<ul class="facts">{rendered}</ul></section>'
            )
        return "".join(out)

    def _links(self, desc: Description, links: Links, direction: str) -> str:
        grouped: dict[str, dict[str, str]] = {}
        for r in desc.relations:
            if r.direction != direction or "://" not in r.value:
                continue
            prop = r.property_label or (
                "is a" if r.property.endswith("#type") else _local(r.property)
            )
            grouped.setdefault(prop, {})[r.value] = r.value_label
        if not grouped:
            return ""
        items = []
        for prop in sorted(grouped):
            values = sorted(grouped[prop].items(), key=lambda kv: (kv[1] or kv[0]).casefold())
            shown = ", ".join(self.entity_link(v, label or None, links) for v, label in values)
            items.append(f"<dt>{_e(prop)}</dt><dd>{shown}</dd>")
        title = "Links out" if direction == "out" else "Links in"
        hid = f"h-links-{direction}"
        return (
            f'<section aria-labelledby="{hid}"><h2 id="{hid}">{title}</h2>'
            f"<dl>{''.join(items)}</dl></section>"
        )

    def _mentions(self, desc: Description) -> str:
        seen = []
        for r in desc.relations:
            if r.direction == "mention" and r.quote:
                item = (
                    f"<li><blockquote>{_e(' '.join(r.quote.split()))}</blockquote>"
                    f'<span class="where">§ {_e(r.section or "")}</span></li>'
                )
                if item not in seen:
                    seen.append(item)
        if not seen:
            return ""
        return (
            '<section aria-labelledby="h-mentions"><h2 id="h-mentions">Where the guide '
            f"mentions it</h2><ul>{''.join(seen)}</ul></section>"
        )

    def _neighbourhood(self, iri: str) -> dict[str, Any] | None:
        from .network import neighbourhood
        from .viz import page_data

        whole = self.whole_network()
        if iri not in whole:
            return None
        graph = neighbourhood(whole, iri, 1)
        if graph.number_of_nodes() < 2:
            return None
        if graph.number_of_nodes() > NEIGHBOURHOOD_LIMIT:
            centre = graph.graph.get("focus")
            degree = dict(graph.degree())
            keep = sorted(
                (v for v in graph.nodes if v != centre), key=lambda v: (-degree[v], str(v))
            )
            graph = graph.subgraph([centre, *keep[: NEIGHBOURHOOD_LIMIT - 1]]).copy()
        data = page_data(graph, physics="on", title=self.label_of(iri))
        return self._network_payload(data)

    def whole_network(self) -> Any:
        """The entity network of the whole graph (built once)."""
        if self._whole is None:
            from .network import to_networkx

            self._whole = to_networkx(self.engine)
        return self._whole

    def _network_payload(self, data: dict[str, Any]) -> dict[str, Any]:
        slugs = [entity_slug(d.get("iri", "")) for d in data["nodeDetails"]]
        return {
            "kinds": data["kinds"],
            "props": data["props"],
            "nodes": data["nodes"],
            "edges": data["edges"],
            "iris": [d.get("iri", "") for d in data["nodeDetails"]],
            "slugs": [s if s and RG_NS + s in self.index.entities else None for s in slugs],
            "options": data["options"],
        }

    def entity_rdf(self, iri: str, fmt: str) -> bytes:
        """The triples about an entity (as subject or object) in ``fmt`` (ttl, nt, jsonld, rdfxml)."""
        import pyoxigraph as ox

        from ..querying.catalogue import internal
        from ..querying.sparql import run
        from ..server._workers import serialize_graph

        text = internal(ENTITY_TRIPLES_QUERY).text
        result = run(self.engine, text, {"e": ox.NamedNode(iri)})
        triples = sorted(result.triples, key=str)
        return serialize_graph(triples, fmt, dict(PREFIXES) if fmt in ("ttl", "rdfxml") else None)

    # --- the network ----------------------------------------------------------------------

    def network(self) -> str:
        """Every entity and link, drawn with vis-network (a node opens its page)."""
        from . import webgl
        from .viz import page_data

        whole = self.whole_network()
        if webgl.use_webgl("auto", whole.number_of_nodes()):
            return self._big_network(whole)
        data = page_data(whole, title="relaxgraph")
        payload = self._network_payload(data)
        body = (
            "<h1>Network</h1>"
            f"<p>{len(payload['nodes'])} entities and {len(payload['edges'])} links. Drag to "
            "move, scroll to zoom; select a node to open its page. Each entity is also listed "
            f'on the <a href="{_e(self.links.page("home"))}#entities">home page</a>.</p>'
            '<div id="network" class="network big" role="img" '
            'aria-label="Network of every entity and link"></div>'
        )
        return self.frame(
            "Network",
            body,
            self.links,
            "network",
            {"network": payload},
            scripts=["vis-network.min.js"],
        )

    def network_is_webgl(self) -> bool:
        """Whether the network page is the WebGL view (a graph above its threshold)."""
        from . import webgl

        return webgl.use_webgl("auto", self.whole_network().number_of_nodes())

    def _big_network(self, whole: Any) -> str:
        """A large graph's network page: the library's WebGL view (self-contained), with the
        site's navigation added at the top."""
        from . import webgl

        return _with_site_nav(webgl.render(whole, title="relaxgraph: the network"), self.links)

    # --- the annotated guide --------------------------------------------------------------

    def guide(self) -> str | None:
        """The annotated guide (the library's report), or None while the library has none.

        The report is its own self-contained page; the site adds its navigation at the top
        and, at the end, the entities the assessed claims are about, each a link to its page.
        """
        if self.report is None:
            return None
        page = self.report()
        body = re.search(r"<body[^>]*>", page)
        end = page.rfind("</body>")
        if body is None or end < body.end():
            return page
        links = self.links
        entities = sorted(
            (i for i in self._assessed_entities() if entity_slug(i) and i in self.index.entities),
            key=lambda i: self.label_of(i).casefold(),
        )
        items = "".join(f"<li>{self.entity_link(i, None, links)}</li>" for i in entities)
        section = (
            '<section aria-labelledby="h-site-entities" style="max-width:60rem;margin:1em auto;'
            'padding:0 1rem;font:16px/1.5 system-ui,sans-serif">'
            '<h2 id="h-site-entities">The entities these claims are about</h2>'
            f'<ul style="columns:14em">{items}</ul></section>'
            if items
            else ""
        )
        return _with_site_nav(page[:end] + section + page[end:], links)

    def _assessed_entities(self) -> list[str]:
        from ..querying.catalogue import internal
        from ..querying.sparql import run

        result = run(self.engine, internal(ASSESSED_QUERY).text)
        return [row[0].value for row in result.terms if row[0] is not None]

    # --- the query page -------------------------------------------------------------------

    def query(self, results: Mapping[str, Any] | None = None) -> str:
        """The catalogue as examples, a form per parameter, the editor and the result views.

        ``results`` (static mode) maps a query name to its SPARQL JSON result, computed ahead.
        """
        from ..querying.catalogue import load_catalogue

        links = self.links
        catalogue = load_catalogue()
        examples = []
        for q in catalogue.values():
            examples.append(_example(q, results))
        kinds = sorted({p.kind for q in catalogue.values() for p in q.params if p.kind})
        lists = "".join(self._datalist(kind) for kind in kinds) + self._datalist(None)
        if self.mode == "live":
            limits = (
                f"Read-only. Time limit {self.limits.timeout:g} s; at most "
                f"{self.limits.max_rows:,} rows per result (the result says when it was cut). "
                'The endpoint is <a href="sparql">/sparql</a>.'
            )
            run_note = ""
        else:
            limits = (
                "This is a static copy: each catalogue query shows the result it had, with its "
                "default parameters, when the site was written. Live queries (your own SPARQL, "
                "other parameters, downloads in every format) need <code>relaxgraph serve</code>."
            )
            run_note = ""
        body = (
            "<h1>Query</h1>"
            f'<p id="limits">{limits}</p>{run_note}'
            '<div class="query-layout">'
            '<section aria-labelledby="h-cat" class="catalogue"><h2 id="h-cat">Named queries</h2>'
            '<label for="cat-filter">Filter</label> '
            '<input id="cat-filter" type="search" autocomplete="off">'
            f'<ul id="catalogue">{"".join(e["item"] for e in examples)}</ul></section>'
            '<section aria-labelledby="h-editor" class="editor"><h2 id="h-editor">SPARQL</h2>'
            '<form id="params" hidden aria-labelledby="params-title">'
            '<h3 id="params-title">Parameters</h3><div id="param-fields"></div></form>'
            '<div id="editor-wrap"><label for="query-text" class="visually-hidden">SPARQL query</label>'
            f'<textarea id="query-text" spellcheck="false" rows="14">{_e(_first_text(catalogue))}'
            "</textarea></div>"
            '<p class="actions"><button type="button" id="run">Run</button> '
            '<span id="status" role="status" aria-live="polite"></span></p>'
            '<div id="error" role="alert"></div>'
            '<div id="result-tools" hidden><div role="group" aria-label="Show the result as" '
            'class="views"><button type="button" id="view-table" aria-pressed="true">Table</button>'
            '<button type="button" id="view-network" aria-pressed="false">Network</button></div>'
            '<p id="downloads"></p></div>'
            '<div id="result-table" class="scroll"></div>'
            '<div id="result-network" class="network" hidden role="img" '
            'aria-label="The result drawn as a network"></div>'
            "</section></div>"
            f"{lists}"
        )
        data = {
            "examples": [e["data"] for e in examples],
            "prefixes": PREFIXES,
            "terms": _terms(self.engine),
            "entityBase": RG_NS,
            "labels": [[n["slug"], n["label"]] for n in self.names()],
            "maxRows": self.limits.max_rows,
        }
        head = f'<link rel="stylesheet" href="{_e(links.static("yasqe/yasqe.min.css"))}">\n'
        return self.frame(
            "Query", body, links, "query", data, head=head,
            scripts=["yasqe/yasqe.min.js", "vis-network.min.js"],
        )  # fmt: skip

    def _datalist(self, kind: str | None) -> str:
        options = []
        for name in self.names():
            if kind is None or kind in name["kinds"].split():
                options.append(f'<option value="{_e(name["label"])}"></option>')
        ident = f"names-{kind}" if kind else "names-all"
        return f'<datalist id="{_e(ident)}">{"".join(options)}</datalist>'

    def catalogue_results(self) -> dict[str, Any]:
        """Each catalogue query's result with its default parameters, as SPARQL JSON (static mode)."""
        import json

        from ..errors import RelaxgraphError
        from ..querying.catalogue import load_catalogue

        out: dict[str, Any] = {}
        for name, q in load_catalogue().items():
            if any(p.default in (None, "") for p in q.params):
                continue
            try:
                result = q.run(self.engine)
            except RelaxgraphError:
                continue
            if result.kind == "graph":
                out[name] = {"graph": result.serialize("nt").decode("utf-8")}
            else:
                out[name] = json.loads(result.serialize("json"))
        return out


# --- helpers ----------------------------------------------------------------------------------


def _relation_type() -> type:
    from .description import Relation

    return Relation


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] if iri else ""


def _kind_label(kind: str) -> str:
    from .viz import KIND_STYLES

    if kind in KIND_STYLES:
        return KIND_STYLES[kind][0]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower() if kind else ""


def _extra_fields(item: Any, base: Iterable[str], known: Iterable[str]) -> str:
    """Fields a relation gains beyond the base ones (a verdict, its reason, a source), shown."""
    skip = set(base)
    out = []
    for name in known:
        if name in skip:
            continue
        value = getattr(item, name, None)
        if value in (None, "", [], ()):
            continue
        out.append(f"<p><strong>{_e(name.replace('_', ' '))}:</strong> {_value_html(value)}</p>")
    return "".join(out)


def _with_site_nav(page: str, links: Links) -> str:
    """A self-contained page of the library (its styles inline) with the site's navigation
    added at the top of its body (inline styles only: such pages allow nothing else)."""
    body = re.search(r"<body[^>]*>", page)
    if body is None:
        return page
    style = "background:#102a43;color:#fff;padding:.4em 1em;font:16px/1.5 system-ui,sans-serif"
    link = "color:#fff;margin-right:1.2em"
    nav = (
        f'<nav aria-label="Site" style="{style}"><strong style="margin-right:1.2em">'
        f'relaxgraph</strong><a style="{link}" href="{_e(links.page("home"))}">Home</a>'
        f'<a style="{link}" href="{_e(links.page("query"))}">Query</a>'
        f'<a style="{link}" href="{_e(links.page("network"))}">Network</a></nav>'
    )
    return page[: body.end()] + nav + page[body.end() :]


def _contents(parts: Sequence[str]) -> str:
    """A list of the page's sections (their headings), linked, for moving around by keyboard."""
    found = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', "".join(parts))
    if len(found) < 3:
        return ""
    items = "".join(f'<li><a href="#{ident}">{title}</a></li>' for ident, title in found)
    return f'<nav aria-label="On this page" class="contents"><ul>{items}</ul></nav>'


def _identifier_html(prop: str, value: str) -> str:
    """A literal value; an identifier (``rgo:chebi`` ...) as a link to its public record."""
    from ..data.identifiers import identifier_curie, record_url, schemes

    local = prop[len(RGO_NS) :] if prop.startswith(RGO_NS) else ""
    if local not in schemes():
        return _e(value)
    url = record_url(local, value)
    curie = identifier_curie(local, value)
    return f'<a href="{_e(url)}">{_e(curie)}</a>' if url and _is_web(url) else _e(curie)


# Link texts that say where a link goes (the same "licence" / "the record" on every row told a
# screen-reader user nothing): the licence by its short name, the record by its kind.
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/publicdomain/mark/1.0/": "public domain",
    "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/": "CC BY-NC-SA 3.0 IGO",
    "https://www.nlm.nih.gov/databases/download/terms_and_conditions_mesh.html": "NLM MeSH terms",
}
RECORD_KINDS = (
    ("https://api.fda.gov/drug/label.json", "openFDA label record"),
    ("https://api.fda.gov/drug/ndc.json", "openFDA NDC listing"),
    ("https://api.fda.gov/drug/drugsfda.json", "Drugs@FDA record"),
    ("https://api.fda.gov/", "openFDA record"),
    ("https://dailymed.", "DailyMed label page"),
    ("https://github.com/", "source file"),
)


def licence_name(iri: str) -> str:
    """``'CC BY 4.0'`` for the CC BY 4.0 deed; the word "licence" for one not listed."""
    return LICENCE_NAMES.get(iri, "licence")


def record_name(url: str) -> str:
    """What kind of record a fact was read in, by its address (``'DailyMed label page'``)."""
    for prefix, name in RECORD_KINDS:
        if url.startswith(prefix):
            return name
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return f"record ({host})" if host else "the record"


def _is_web(value: str) -> bool:
    return re.match(r"^https?://[^\s\"'<>]+$", value) is not None


def _value_html(value: Any) -> str:
    if isinstance(value, str) and re.match(r"^https?://[^\s\"'<>]+$", value):
        return f'<a href="{_e(value)}">{_e(value)}</a>'
    if isinstance(value, list | tuple):
        return ", ".join(_value_html(v) for v in value)
    return _e(value)


def _render_value(item: Any, renderer: SiteRenderer, desc: Description) -> str:
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        parts = []
        for f in dataclasses.fields(item):
            value = getattr(item, f.name)
            if value in (None, "", [], ()):
                continue
            if isinstance(value, str) and value.startswith(RG_NS):
                shown = renderer.entity_link(value, None, Links("../", renderer.links.ext))
            else:
                shown = _value_html(value)
            parts.append(f"<strong>{_e(f.name.replace('_', ' '))}:</strong> {shown}")
        return "; ".join(parts)
    return _value_html(item)


def _first_text(catalogue: Mapping[str, CatalogueQuery]) -> str:
    from ..querying.catalogue import internal

    lines = internal(STARTER_QUERY).text.splitlines()
    return "\n".join(line for line in lines if not line.startswith("#+")).strip() + "\n"


def _example(q: CatalogueQuery, results: Mapping[str, Any] | None) -> dict[str, Any]:
    params = [
        {
            "name": p.name,
            "type": p.type,
            "kind": p.kind,
            "default": p.default or "",
            "description": p.description,
        }
        for p in q.params
    ]
    data: dict[str, Any] = {
        "name": q.name,
        "summary": q.summary,
        "text": q.text,
        "form": q.form,
        "params": params,
    }
    if results is not None:
        data["result"] = results.get(q.name)
    ptext = (
        '<span class="params">parameters: ' + ", ".join(_e(p.name) for p in q.params) + "</span>"
        if q.params
        else ""
    )
    item = (
        f'<li data-name="{_e(q.name)}"><button type="button" class="example" '
        f'data-name="{_e(q.name)}">{_e(q.summary or q.name)}</button>'
        f'<span class="qname">{_e(q.name)}</span>'
        f'<span class="desc">{_e(q.description)}</span>{ptext}</li>'
    )
    return {"item": item, "data": data}


def _terms(engine: Engine) -> dict[str, list[str]]:
    """The ontology's classes and properties, for the editor's completion."""
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    text = internal(TERMS_QUERY).text
    classes: set[str] = set()
    props: set[str] = set()
    for t, k in run(engine, text).terms:
        if t is None or k is None:
            continue
        (classes if k.value.endswith("#Class") else props).add(t.value)
    return {"classes": sorted(classes), "properties": sorted(props)}


# --- the static site ------------------------------------------------------------------------

#: The file that marks a folder as written by :func:`write_site` (so it may be replaced).
SITE_MARKER = ".relaxgraph-site"


def write_site(output: str | Path, engine: Engine | None = None) -> Path:
    """Write the site into the folder ``output`` (created, or replaced if an earlier site).

    The pages are those ``relaxgraph serve`` answers, with ``.html`` names so they open from
    ``file://``: ``index.html``, ``id/NAME.html`` (and ``id/NAME.ttl``, ``.nt``, ``.jsonld``),
    ``query.html``, ``network.html``, ``guide.html`` (when the library has the annotated
    guide) and ``static/``. The query page shows each catalogue query with the result it has
    with its default parameters, computed now; running other SPARQL needs ``relaxgraph serve``.

    Everything is written into a new folder beside ``output`` that then takes its place, so
    an error leaves nothing half-written. Raises :class:`~relaxgraph.errors.OutputPathError`
    (an ``OSError``) for a path that is a file, a folder holding other things, or a folder
    whose parent does not exist.
    """
    import os
    import shutil
    import tempfile

    from ..errors import OutputPathError

    target = Path(output)
    _check_site_folder(target)
    if engine is None:
        from ..api import default_engine

        engine = default_engine()
    parent = target.parent if str(target.parent) else Path(".")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputPathError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(work, 0o777 & ~umask)
        _write_pages(work, engine)
        old = None
        if target.exists():
            old = parent / f".{target.name}.old-{os.getpid()}"
            os.rename(target, old)
        os.rename(work, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise OutputPathError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _check_site_folder(target: Path) -> None:
    from ..errors import OutputPathError

    if str(target) in ("", "."):
        raise OutputPathError("give a new folder for the site (-o DIR), not the current folder")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(
            f"cannot write {target}: the folder {parent} does not exist; create it first"
        )
    if target.exists():
        if not target.is_dir():
            raise OutputPathError(f"cannot write the site to {target}: it is a file; give a folder")
        if any(target.iterdir()) and not (target / SITE_MARKER).is_file():
            raise OutputPathError(
                f"{target} holds other files; give a new or empty folder "
                "(an earlier site written there is replaced)"
            )


def _write_pages(folder: Path, engine: Engine) -> None:
    from ..server.pages import report_function

    renderer = SiteRenderer(engine, mode="static", report=report_function(engine))

    def put(name: str, data: str | bytes) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    put("index.html", renderer.home())
    put("query.html", renderer.query(renderer.catalogue_results()))
    put("network.html", renderer.network())
    guide = renderer.guide()
    if guide is not None:
        put("guide.html", guide)
    for iri in renderer.entity_iris():
        slug = entity_slug(iri)
        assert slug is not None
        put(f"id/{slug}.html", renderer.entity(iri))
        for fmt in ("ttl", "nt", "jsonld"):
            put(f"id/{slug}.{fmt}", renderer.entity_rdf(iri, fmt))
    for name in STATIC_FILES:
        put(f"static/{name}", static_file(name))
    put(SITE_MARKER, "Written by relaxgraph site; relaxgraph site -o replaces this folder.\n")
