"""The annotated guide (relaxgraph.views.report.render_report, `relaxgraph report`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import require_or_skip

from relaxgraph.checking.assessment import read_assessments
from relaxgraph.cli import cli
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.report import GuideMismatchError, render_report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GUIDE = ROOT.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"


def hostile_engine() -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / "report_hostile.ttl"), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.scripts += tag == "script"


def parsed(page: str) -> Collect:
    c = Collect()
    c.feed(page)
    return c


@pytest.fixture(scope="module")
def page() -> str:
    return render_report()


def test_every_claim_with_a_quote_is_highlighted_and_listed(page: str) -> None:
    items = [i for i in read_assessments() if i.passages]
    tags = parsed(page).tags
    entries = [a for t, a in tags if t == "li" and (a.get("class") or "").startswith("entry")]
    assert len(entries) == len(items) > 400
    highlighted = {
        ident
        for t, a in tags
        if t == "a" and "hl" in (a.get("class") or "").split()
        for ident in (a.get("data-a") or "").split()
    }
    assert highlighted == {a["id"] for a in entries}
    # the reason of a contradicted claim is on the page, next to its verdict
    gaba = next(i for i in items if i.review_id == "GR005")
    assert gaba.reason.split("(")[0].strip().replace("'", "&#x27;") in page


def test_the_page_is_self_contained(page: str) -> None:
    tags = parsed(page).tags
    for tag, attrs in tags:
        assert tag not in ("img", "iframe", "link", "object", "embed")
        if tag == "script":
            assert "src" not in attrs
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # links to records open only on a click; nothing on the page loads from elsewhere
    assert not re.search(r"""(src|href)=["']//""", page)


def test_summary_counts_match_the_layer(page: str) -> None:
    items = [i for i in read_assessments() if i.passages]
    n = sum(1 for i in items if i.verdict == "Contradicted" and i.statement)
    assert re.search(rf"contradicted</span></td><td>{n}</td>", page)


def test_hostile_text_is_inert() -> None:
    page = render_report(hostile_engine())
    c = parsed(page)
    assert c.scripts == 1  # the page's own script only
    assert not any(t == "img" for t, _ in c.tags)
    hrefs = [a.get("href") or "" for t, a in c.tags if t == "a"]
    assert not any(h.startswith("javascript:") for h in hrefs)
    assert "https://example.org/label?a=1&amp;b=2" in page
    assert "&lt;script&gt;window.pwned=5&lt;/script&gt;" in page
    assert "{{BODY}}" in page  # template markers in the data are text, not substituted
    md = render_report(hostile_engine(), fmt="markdown")
    assert "<script>" not in md and "<img" not in md and "](javascript:" not in md
    assert "\\*\\*bold\\*\\*" in md


def test_markdown_has_summary_sections_and_a_footnote_per_claim() -> None:
    md = render_report(fmt="markdown")
    items = [i for i in read_assessments() if i.passages]
    assert md.startswith("# Annotated guide: ")
    assert "| contradicted |" in md
    footnotes = re.findall(r"^\[\^a(\d+)\]: ", md, flags=re.MULTILINE)
    assert len(footnotes) == len(items)
    for n in footnotes:
        assert f"[^a{n}]" in md.split("## Assessments")[0], n


def test_with_the_guide_the_page_holds_its_whole_text() -> None:
    require_or_skip(GUIDE.exists(), f"the guide is not at {GUIDE}")
    text = GUIDE.read_text(encoding="utf-8")
    page = render_report(guide_text=text)
    assert "Whether it\u2019s participating in hobbies" in page  # a sentence no claim quotes
    with pytest.raises(GuideMismatchError, match="does not match the graph's quote"):
        render_report(guide_text=text.replace("Baclofen", "Bac1ofen"))


def test_report_command_writes_html_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    result = CliRunner().invoke(cli, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(cli, ["report", "--format", "markdown"])
    assert result.exit_code == 0 and result.stdout.startswith("# Annotated guide")
    wrong = tmp_path / "not-the-guide.txt"
    wrong.write_text("something else entirely", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", "--guide", str(wrong), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2 and "does not match" in result.stderr
    assert not (tmp_path / "x.html").exists()
