"""Data Docs, when asked for, load nothing from outside hosts; by default they are not built (issue 11, point 12).

GX's templates reference eight CDNs and carry no CSP. The built site is rewritten: no src/href/url() to another
host is left, and every page carries a CSP that allows only the site's own files.
"""
from __future__ import annotations

import re

import pytest

from budget_etl.expectations.offline_docs import CSP, offline_css, offline_html

OUTSIDE = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)"""
                     r"""(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def site(make, tmp_path_factory):
    docs = tmp_path_factory.mktemp("reports") / "run-1" / "data_docs"
    outcome, _ = make.validate_cases({"good": make.department(),
                                      "bad": make.set_amount(make.department(), "国有资本金", "full_year", "-1")},
                                     data_docs_dir=docs)
    return outcome.data_docs_index.parent


def test_no_page_or_stylesheet_refers_to_another_host(site):
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".css")]
    assert len([p for p in files if p.suffix == ".html"]) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not OUTSIDE.findall(text), (path, OUTSIDE.findall(text)[:3])


def test_every_page_carries_a_csp_that_forbids_outside_loads(site):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        head = text[:text.lower().index("</head>")]
        assert f'content="{CSP}"' in head, page
    assert "default-src 'self'" in CSP and "connect-src 'none'" in CSP


def test_pages_keep_their_content(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "structure" in index and "budget" in index  # the suites are still listed and linked locally
    assert re.search(r'href="expectations/structure.html"', index)


@pytest.mark.parametrize("html", [
    '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>',
    "<SCRIPT type='text/javascript' SRC='//cdn.example.org/x.js'>\n</SCRIPT>",
    '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap.min.css"/>',
    '<a href="https://greatexpectations.io">GX</a>',
    '<img src="http://example.com/logo.png">',
    "<style>.x { background: url('https://s3.amazonaws.com/logo.png') }</style>",
    '<style>@import url("https://fonts.googleapis.com/css");</style>',
])
def test_each_kind_of_outside_reference_is_removed(html):
    page = offline_html(f"<html><head><title>t</title></head><body>{html}<p>kept</p></body></html>")
    assert not OUTSIDE.findall(page) and "<p>kept</p>" in page


def test_css_keeps_its_own_rules():
    css = ".a { color: red } .b { background: url('images/x.png') }"
    assert offline_css(css) == css
