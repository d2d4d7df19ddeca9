"""The site of ``relaxgraph serve`` over HTTP, and ``relaxgraph site -o DIR`` on disk."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.store import bundled_store

FIXTURES = Path(__file__).parent / "fixtures"
BACLOFEN = "https://w3id.org/relaxgraph/id/baclofen"
HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_store() -> ox.Store:
    """The bundled graph plus entities whose labels, quotes and identifiers try to run code."""
    store = bundled_store()
    store.load(path=str(FIXTURES / "viz_hostile.ttl"), format=ox.RdfFormat.TURTLE)
    store.load(path=str(FIXTURES / "site_assessment.ttl"), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(hostile_store(), port=0, site=True, max_rows=500, timeout=10) as s:
        yield s


def get(url: str, accept: str = "") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def root(server: SparqlServer) -> str:
    return server.url[: -len("sparql")]


# --- content negotiation --------------------------------------------------------------------


def test_entity_page_is_html_for_a_browser(server: SparqlServer) -> None:
    status, headers, body = get(root(server) + "id/baclofen", "text/html,*/*;q=0.8")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Accept" in headers["Vary"]
    assert "<h1>baclofen</h1>" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    # identifiers link to their public records, through the one converter
    assert 'href="https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:2972"' in page
    # the guide's claims with quote and section; links to other entities' pages
    assert "Common Side Effects of Baclofen" in page and "dizziness or lightheadedness" in page
    assert 'href="../id/dizziness"' in page and 'href="../id/lioresal"' in page


def test_entity_page_shows_a_claims_verdict_and_reason(server: SparqlServer) -> None:
    page = get(root(server) + "id/baclofen", "text/html")[2].decode()
    start = page.index('id="h-claims"')
    # the claims table only (describe's assessments list, further down, names the verdict too)
    rows = page[start : page.index("</table>", start)].split("<tr>")
    row = next(r for r in rows if "dizziness or lightheadedness" in r)
    assert "<strong>test verdict:</strong> Test reason &lt;b&gt;not bold&lt;/b&gt;" in row
    assert sum("test verdict" in r for r in rows) == 1  # on its own claim only


def test_entity_page_shows_reference_facts_with_their_sources(server: SparqlServer) -> None:
    page = get(root(server) + "id/baclofen", "text/html")[2].decode()
    section = page[page.index('id="h-reference"') :]
    section = section[: section.index("</section>")]
    # a target from DrugCentral, with its action, the source, its licence and the record read
    assert 'href="../id/target-gabbr1">GABBR1</a>' in section and "agonist" in section
    assert 'href="../id/dataset-drugcentral-2016">DrugCentral 2016</a>' in section
    assert 'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in section
    # each link says where it goes, not the same "licence" / "the record" on every row
    assert ">openFDA label record</a>" in section and ">source file</a>" in section
    assert ">the record</a>" not in section and ">licence</a>" not in section
    # a label fact with its quote
    assert (
        "boxed warning" in section and "Abrupt discontinuation of intrathecal baclofen" in section
    )


@pytest.mark.parametrize(
    ("accept", "ctype", "fmt"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/html;q=0.1, application/ld+json;q=0.9", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/ld+json;q=0.2, text/turtle;q=0.7", "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_entity_as_rdf_by_accept(
    server: SparqlServer, accept: str, ctype: str, fmt: ox.RdfFormat
) -> None:
    status, headers, body = get(root(server) + "id/baclofen", accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype), (status, headers)
    assert "Accept" in headers["Vary"]
    triples = [q.triple for q in ox.parse(body, format=fmt)]
    subjects = {t.subject for t in triples} | {t.object for t in triples}
    assert ox.NamedNode(BACLOFEN) in subjects
    side = ox.NamedNode("https://w3id.org/relaxgraph/ontology#hasSideEffect")
    dizziness = ox.NamedNode("https://w3id.org/relaxgraph/id/dizziness")
    assert ox.Triple(ox.NamedNode(BACLOFEN), side, dizziness) in triples
    # links in are part of it too (the brand that names baclofen)
    assert any(t.object == ox.NamedNode(BACLOFEN) for t in triples)


def test_entity_refuses_an_unknown_type_with_406(server: SparqlServer) -> None:
    status, headers, body = get(root(server) + "id/baclofen", "image/png")
    assert status == 406 and b"text/turtle" in body and body[-1:] == b"\n"
    assert "Accept" in headers["Vary"]


def test_format_parameter_wins_over_accept(server: SparqlServer) -> None:
    status, headers, _ = get(root(server) + "id/baclofen?format=nt", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    status, _, body = get(root(server) + "id/baclofen?format=png")
    assert status == 400 and b"unknown format" in body


def test_unknown_entity_and_path_are_404(server: SparqlServer) -> None:
    status, _, body = get(root(server) + "id/no-such-thing", "text/html")
    assert status == 404 and b"no entity 'no-such-thing'" in body
    status, _, body = get(root(server) + "nothing-here")
    assert status == 404 and b"/query" in body


def test_root_is_the_home_page_for_browsers_and_rdf_for_clients(server: SparqlServer) -> None:
    status, headers, body = get(root(server), "text/html,application/xhtml+xml,*/*;q=0.8")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "What is in the graph, by layer" in page and "MIT" in page
    assert 'href="id/baclofen"' in page  # every entity is listed and linked
    status, headers, body = get(root(server), "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b"sparql-service-description" in body
    # the endpoint still answers queries at / and /sparql
    status, _, body = get(server.url + "?query=ASK%7B%7D")
    assert status == 200 and b"true" in body
    status, _, body = get(root(server) + "?query=ASK%7B%7D")
    assert status == 200 and b"true" in body


def test_without_site_the_endpoint_is_unchanged() -> None:
    with SparqlServer(bundled_store(), port=0, examples=[]) as s:
        status, _, body = get(s.url[: -len("sparql")], "text/html")
        assert status == 200 and b'<form id="form"' in body
        assert get(s.url[: -len("sparql")] + "id/baclofen")[0] == 404


def test_static_files_are_the_package_files(server: SparqlServer) -> None:
    from relaxgraph.views.site import STATIC_FILES, static_file

    for name, ctype in STATIC_FILES.items():
        status, headers, body = get(root(server) + "static/" + name)
        assert status == 200 and headers["Content-Type"] == ctype
        assert body == static_file(name)
    assert get(root(server) + "static/../pyproject.toml")[0] == 404
    assert get(root(server) + "static/yasqe/yasqe.min.js.map")[0] == 404


# --- the query page's parameters -------------------------------------------------------------


def test_prepare_binds_catalogue_parameters(server: SparqlServer) -> None:
    query = urllib.parse.urlencode({"name": "side-effects", "drug": "Lioresal"})
    status, _, body = get(root(server) + "api/prepare?" + query)
    assert status == 200
    text = json.loads(body)["text"]
    assert "<https://w3id.org/relaxgraph/id/baclofen>" in text  # the brand resolved to its drug
    status, _, body = get(server.url + "?" + urllib.parse.urlencode({"query": text}))
    labels = {b["sideEffectLabel"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {"dizziness", "drowsiness"} <= labels


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"name": "side-effects", "drug": "zzz"}, "unknown entity 'zzz'"),
        ({"name": "no-such-query"}, "unknown query"),
        ({"name": "side-effects", "nope": "1"}, "nope"),
        ({}, "name=QUERY"),
    ],
)
def test_prepare_errors_are_one_line_json(
    server: SparqlServer, query: dict[str, str], message: str
) -> None:
    status, headers, body = get(root(server) + "api/prepare?" + urllib.parse.urlencode(query))
    assert status == 400 and headers["Content-Type"] == "application/json"
    assert message in json.loads(body)["error"]


def test_query_page_shows_limits_catalogue_and_forms(server: SparqlServer) -> None:
    status, _, body = get(root(server) + "query")
    page = body.decode()
    assert status == 200
    assert "Time limit 10 s" in page and "at most 500 rows" in page
    assert 'data-name="side-effects"' in page
    assert '<datalist id="names-Drug">' in page and '<option value="baclofen">' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


# --- hostile labels ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["id/hostile-drug", "id/hostile-effect", "", "query", "network"])
def test_hostile_labels_are_escaped(server: SparqlServer, path: str) -> None:
    status, _, body = get(root(server) + path, "text/html")
    page = body.decode()
    assert status == 200
    assert "<img src=x" not in page and "<svg onload" not in page
    assert "<script>window.__pwned" not in page and "<iframe" not in page
    assert 'href="javascript:' not in page
    if path == "id/hostile-drug":
        assert html_escaped(HOSTILE) in page


def html_escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# --- vendored files -----------------------------------------------------------------------------


def test_vendored_yasqe_is_the_pinned_release() -> None:
    from relaxgraph.views.site import YASQE_SHA256, YASQE_VERSION, static_file

    readme = (Path(__file__).parents[1] / "src/relaxgraph/views/static/yasqe/README.md").read_text(
        encoding="utf-8"
    )
    assert f"YASQE {YASQE_VERSION}" in readme
    for name, digest in YASQE_SHA256.items():
        data = static_file(f"yasqe/{name}")
        assert hashlib.sha256(data).hexdigest() == digest, name
        assert digest in readme
    assert b"MIT License" in static_file("yasqe/LICENSE")


# --- the static site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relaxgraph.storage.engines import OxigraphEngine
    from relaxgraph.views.site import write_site

    out = tmp_path_factory.mktemp("site") / "site"
    return write_site(out, OxigraphEngine(hostile_store()))


def test_static_site_has_every_page(site_dir: Path) -> None:
    from relaxgraph.views.site import STATIC_FILES, static_file

    for name in ("index.html", "query.html", "network.html", "id/baclofen.html"):
        assert (site_dir / name).is_file(), name
    for fmt in ("ttl", "nt", "jsonld"):
        assert (site_dir / f"id/baclofen.{fmt}").stat().st_size > 100
    for name in STATIC_FILES:
        assert (site_dir / "static" / name).read_bytes() == static_file(name)
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="id/baclofen.html"' in home
    entity = (site_dir / "id/baclofen.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in entity and 'href="../static/site.css"' in entity
    assert 'href="dizziness.html"' not in entity and 'href="../id/dizziness.html"' in entity
    from relaxgraph.server.pages import report_function

    # the annotated guide is written (and linked) exactly when the library has it
    has_guide = report_function(None) is not None
    assert (site_dir / "guide.html").is_file() == has_guide
    assert ('href="guide.html"' in home) == has_guide
    if has_guide:
        assert 'href="id/baclofen.html"' in (site_dir / "guide.html").read_text(encoding="utf-8")


def test_static_pages_ask_no_other_host(site_dir: Path) -> None:
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # links to public records are fine; nothing is loaded from elsewhere
        assert not re.search(r"<(script|img|iframe)[^>]+src=\"(https?:)?//", text), page
        assert not re.search(r"<link[^>]+href=\"(https?:)?//", text), page


def test_static_query_page_carries_precomputed_results(site_dir: Path) -> None:
    page = (site_dir / "query.html").read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', page, re.S)[1]  # type: ignore[index]
    )
    by_name = {e["name"]: e for e in data["examples"]}
    rows = by_name["side-effects"]["result"]["results"]["bindings"]
    assert {"dizziness", "drowsiness"} <= {r["sideEffectLabel"]["value"] for r in rows}
    assert "relaxgraph serve" in page


def test_write_site_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relaxgraph.views import site

    out = tmp_path / "site"
    site.write_site(out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def broken(folder: Path, engine: object) -> None:
        (folder / "index.html").write_text("half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site, "_write_pages", broken)
    with pytest.raises(RuntimeError):
        site.write_site(out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert "half" not in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left


def test_cli_site_refuses_bad_folders(tmp_path: Path) -> None:
    from relaxgraph.cli import cli

    (tmp_path / "file").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    runner = CliRunner()
    for target, message in [
        (tmp_path / "file", "it is a file"),
        (tmp_path / "missing" / "site", "does not exist"),
        (tmp_path / "full", "holds other files"),
    ]:
        result = runner.invoke(cli, ["site", "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
    assert (tmp_path / "full" / "notes.txt").read_text() == "mine"
    result = runner.invoke(cli, ["site", "-o", str(tmp_path / "ok")])
    assert result.exit_code == 0 and (tmp_path / "ok" / "index.html").is_file()


def test_pages_answer_get_only(server: SparqlServer) -> None:
    request = urllib.request.Request(
        root(server) + "id/baclofen", data=b"x=1", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 405 and caught.value.headers["Allow"] == "GET, HEAD"


def test_cli_site_help_has_an_example() -> None:
    from relaxgraph.cli import cli

    result = CliRunner().invoke(cli, ["site", "--help"])
    assert result.exit_code == 0
    assert "relaxgraph site -o" in result.output and "relaxgraph serve" in result.output


FAKE_REPORT = (
    '<!DOCTYPE html><html lang="en"><head><title>guide</title></head>'
    "<body><main><h1>The guide</h1><p>its text</p></main></body></html>"
)


def test_guide_page_adds_site_links_to_the_report() -> None:
    """The site's side of /guide, with a stand-in for the library's report."""
    from relaxgraph.server.pages import INLINE_CSP, SitePages
    from relaxgraph.storage.engines import OxigraphEngine

    pages = SitePages(OxigraphEngine(hostile_store()), report=lambda: FAKE_REPORT)
    status, body, ctype, headers = pages.respond("/guide", "GET", "text/html", "")
    page = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert dict(headers)["Content-Security-Policy"] == INLINE_CSP
    assert page.index('<nav aria-label="Site"') < page.index("<h1>The guide</h1>")
    # the entities of the assessed claims (the fixture assesses baclofen -> dizziness)
    links = page[page.index("The entities these claims are about") :]
    assert 'href="id/baclofen"' in links and 'href="id/dizziness"' in links
    home = pages.respond("/", "GET", "text/html", "")[1].decode()
    assert 'href="guide"' in home and "Annotated guide" in home


@pytest.mark.parametrize("site", [True, False])
def test_serve_command_serves_the_site_unless_told_not_to(site: bool) -> None:
    import subprocess
    import sys

    args = [sys.executable, "-m", "relaxgraph", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*args] if site else [*args, "--no-site"], stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)sparql", line)
        assert found, line
        assert ("query page: " + found[1] + "query") in line if site else "site:" not in line
        status, headers, body = get(found[1] + "id/baclofen", "text/turtle")
        if site:
            assert status == 200 and headers["Content-Type"].startswith("text/turtle")
            assert b"rg:baclofen" in body or BACLOFEN.encode() in body
        else:
            assert status == 404
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_entity_page_shows_fields_the_description_gains(monkeypatch: pytest.MonkeyPatch) -> None:
    """What other layers add to describe() (flags, assessments, anything new) shows, escaped."""
    from dataclasses import dataclass, field

    from relaxgraph.storage.engines import OxigraphEngine
    from relaxgraph.views import description
    from relaxgraph.views.site import SiteRenderer

    @dataclass
    class Line:
        verdict: str
        reason: str

    @dataclass
    class Extended(description.Description):
        flags: list[str] = field(default_factory=list)
        assessments: list[Line] = field(default_factory=list)
        something_new: list[str] = field(default_factory=list)

    real = description.describe

    def extended(name: str, engine: object = None) -> Extended:
        d = real(name, engine)
        return Extended(
            d.iri, d.label, d.kind, d.names, d.relations,
            flags=["missing reference: <b>no source</b>"],
            assessments=[Line("contradicted", "the label says <i>otherwise</i>")],
            something_new=["https://example.org/a-record"],
        )  # fmt: skip

    monkeypatch.setattr(description, "describe", extended)
    renderer = SiteRenderer(OxigraphEngine(bundled_store()))
    page = renderer.entity(BACLOFEN)
    assert '<h2 id="h-flags">Flags on this entity</h2>' in page
    assert "missing reference: &lt;b&gt;no source&lt;/b&gt;" in page
    assert "<strong>verdict:</strong> contradicted" in page
    assert "the label says &lt;i&gt;otherwise&lt;/i&gt;" in page
    assert '<h2 id="h-something-new">Something new</h2>' in page
    assert '<a href="https://example.org/a-record">' in page
