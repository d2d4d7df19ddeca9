"""Shared test helpers.

``require_or_skip(condition, reason)``: skip a test whose tool (a Virtuoso binary, a
browser, ...) is missing, except when ``RELAXGRAPH_REQUIRE_ALL=1`` (CI sets it): then
the missing tool fails the test, so a skip can never hide a broken CI image.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # lets tests import helper modules that live next to them
    sys.path.insert(0, str(HERE))


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip unless ``condition``; under ``RELAXGRAPH_REQUIRE_ALL=1`` fail instead of skipping."""
    if condition:
        return
    if os.environ.get("RELAXGRAPH_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (required: RELAXGRAPH_REQUIRE_ALL=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(name="require_or_skip")
def _require_or_skip_fixture() -> Callable[[bool, str], None]:
    """The :func:`require_or_skip` helper, as a fixture."""
    return require_or_skip
