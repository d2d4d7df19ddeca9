"""Playwright driving Debian's chromium (never a downloaded browser) for the viewer's tests."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RELAXGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def _require(condition: bool, reason: str) -> None:
    from conftest import require_or_skip  # tests/conftest.py, shared

    require_or_skip(condition, reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require(
        importlib.util.find_spec("playwright") is not None,
        "the playwright package is not installed",
    )
    _require(Path(CHROMIUM).is_file(), f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Opened:
    """A page opened from a file, with every console message, page error and request recorded."""

    def __init__(self, page: Any):
        self.page = page
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path, timeout_ms: int = 180_000) -> Opened:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(
            "() => !!(window.relaxgraph && relaxgraph.drawn && relaxgraph.stabilized)",
            timeout=timeout_ms,
        )
        return self

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind in ("error", "warning")] + self.errors


@pytest.fixture
def opened(browser: Any) -> Iterator[Opened]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        yield Opened(page)
    finally:
        context.close()
