"""A run's JSON (``ingest --json``, ``report.json``) written one file at a time.

A 100,000-file run's summary as one JSON document is hundreds of MB of dicts plus the text; written whole it
would be the run's memory peak. Here the document is written key by key and its ``files`` one entry at a time,
with the same text ``json.dumps`` gives.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

#: The value standing for the list that is streamed (see :func:`dump`).
STREAMED: Any = object()


def dump(doc: dict, items: Iterable[Any], out: TextIO, *, indent: int | None = None, **options: Any) -> None:
    """``json.dump(doc, out, indent=indent, **options)``, where the value ``STREAMED`` in ``doc`` is ``items``,
    encoded one item at a time."""
    encode = lambda value, level: _nest(json.dumps(value, indent=indent, **options), indent, level)  # noqa: E731
    if indent is None:
        open_, sep, close, item_pad, list_open, list_sep, list_close = "{", ", ", "}", "", "[", ", ", "]"
    else:
        pad = " " * indent
        open_, sep, close = "{\n" + pad, ",\n" + pad, "\n}"
        item_pad = pad * 2
        list_open, list_sep, list_close = "[\n" + item_pad, ",\n" + item_pad, "\n" + pad + "]"
    if not doc:
        out.write("{}")
        return
    out.write(open_)
    for n, (key, value) in enumerate(doc.items()):
        out.write((sep if n else "") + json.dumps(str(key), **_key_options(options)) + ": ")
        if value is STREAMED:
            written = 0
            for item in items:
                out.write((list_sep if written else list_open) + encode(item, 2))
                written += 1
            out.write(list_close if written else "[]")
        else:
            out.write(encode(value, 1))
    out.write(close)


def _nest(text: str, indent: int | None, level: int) -> str:
    """A value's indented text placed ``level`` levels deep (json.dumps indents from the left margin)."""
    return text if indent is None else text.replace("\n", "\n" + " " * indent * level)


def _key_options(options: dict) -> dict:
    return {"ensure_ascii": options.get("ensure_ascii", True)}
