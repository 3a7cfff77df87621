"""Great Expectations Data Docs made to load nothing from outside hosts.

GX's page templates pull Bootstrap, jQuery, Font Awesome, vega and fonts from eight CDNs and carry no
Content-Security-Policy: offline the pages are unstyled, online every view tells those hosts. Vendoring the
assets is not an option (nothing may be downloaded at build time), so after GX writes the site, every tag and
attribute that points at another host is removed and a CSP that allows only the site's own files is added.
The pages stay readable (GX renders their tables into the HTML), only unstyled, and they are built only when
asked (``ingest --data-docs``); the run report never links them.
"""
from __future__ import annotations

import re
from pathlib import Path

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'none'; form-action 'none'")
_OUTSIDE = r"""(?:https?:)?//[^"'\s>]+"""
# A whole <script src=…></script> or <link href=…> naming another host.
_EXTERNAL_SCRIPT = re.compile(rf"""<script\b[^>]*\bsrc\s*=\s*["']{_OUTSIDE}["'][^>]*>.*?</script\s*>""",
                              re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(rf"""<link\b[^>]*\bhref\s*=\s*["']{_OUTSIDE}["'][^>]*>""", re.IGNORECASE)
# Any other attribute naming another host (an <a href>, an <img src>, a <form action>).
_EXTERNAL_ATTRIBUTE = re.compile(rf"""\s(?:src|href|action|srcset|poster|data)\s*=\s*["']{_OUTSIDE}["']""",
                                 re.IGNORECASE)
_CSS_URL = re.compile(rf"""url\(\s*["']?{_OUTSIDE}["']?\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(rf"""@import\s+(?:url\()?\s*["']?{_OUTSIDE}["']?\s*\)?[^;]*;""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def offline_html(text: str) -> str:
    """The page without references to other hosts, with a CSP that forbids loading any."""
    text = _EXTERNAL_SCRIPT.sub("", text)
    text = _EXTERNAL_LINK.sub("", text)
    text = _EXTERNAL_ATTRIBUTE.sub("", text)
    text = offline_css(text)  # inline <style> blocks and style attributes
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    head = _HEAD.search(text)
    return text[:head.end()] + meta + text[head.end():] if head else meta + text


def offline_css(text: str) -> str:
    return _CSS_URL.sub("none", _CSS_IMPORT.sub("", text))


def make_offline(site: Path) -> None:
    """Rewrite every page and stylesheet of the Data Docs site under ``site`` in place."""
    for path in sorted(Path(site).rglob("*")):
        if path.suffix.lower() in (".html", ".htm"):
            path.write_text(offline_html(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix.lower() == ".css":
            path.write_text(offline_css(path.read_text(encoding="utf-8")), encoding="utf-8")
