"""Text that is safe to show on a terminal.

Data and user input can hold control characters: ESC starts terminal escape sequences (a
label could change the window title, clear the screen or fake a prompt), C1 controls do the
same on some terminals, and bidirectional overrides reorder what the reader sees. Text for
people (tables, ``describe``, error messages) shows each of them as a visible escape instead,
``\\x1b`` or ``\\u202e``. Machine formats (CSV, TSV, JSON, XML, Turtle) are never changed.
"""

from __future__ import annotations

import re

__all__ = ["printable", "shorten"]

# C0 and C1 controls and DEL (category Cc), bidirectional marks, embeddings, overrides and
# isolates, line and paragraph separators, and lone surrogates (undecodable input bytes).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_KEEP_NEWLINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    r"""``text`` with every control character shown as an escape.

    >>> printable("ok\x1b]0;owned\x07 \u202eevil")
    'ok\\x1b]0;owned\\x07 \\u202eevil'
    >>> printable("a\nb", keep_newlines=True)
    'a\nb'
    """
    pattern = _UNSAFE_KEEP_NEWLINES if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def abbreviate(text: str, limit: int = 100, tail: int = 20) -> str:
    """``text`` itself when short; else its start and end around a count of what was cut.

    >>> abbreviate("x" * 1000)[60:]
    '…[1,000 characters]…xxxxxxxxxxxxxxxxxxxx'
    """
    if len(text) <= limit:
        return text
    return f"{text[:60]}…[{len(text):,} characters]…{text[-tail:]}"


def not_utf8(where: str, exc: UnicodeDecodeError) -> str:
    """The one message for input that is not UTF-8: where, which byte, what to do."""
    byte = exc.object[exc.start : exc.start + 1].hex()
    return (
        f"{where} is not UTF-8 text (byte 0x{byte} at offset {exc.start}); "
        "save it as UTF-8 and try again"
    )


def shorten(text: str, limit: int = 200) -> str:
    """``text`` with each very long word cut in the middle, so that no message echoes a huge input.

    >>> shorten("unknown query " + "x" * 1000 + " here")[:30]
    'unknown query xxxxxxxxxxxxxxxx'
    >>> len(shorten("y" * 100_000)) < 200
    True
    """
    if len(text) <= limit:
        return text
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > limit // 2:
            words[i] = abbreviate(word, limit // 2)
    return " ".join(words)
