"""Which reader a file needs, from its content; the file name is only a hint.

Government systems routinely save HTML or tab-separated text under a ``.xls``
name, so magic bytes and markup decide: a zip is an OOXML package, an OLE2
container is a BIFF workbook (or an encrypted OOXML one), markup is HTML, clean
text is a text export, and anything else binary is unsupported.
"""
from __future__ import annotations

import codecs
import re

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.decoding import bom_encoding, looks_like_bomless_utf16

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty zip
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Streams of an OLE2 container that hold an encrypted .xlsx (MS-OFFCRYPTO), in UTF-16LE directory names.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_BARE_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")  # BIFF2–5 without a container
_HTML_START = re.compile(r"<(!doctype\s+html|html|table|head|body|meta|title|!--)", re.IGNORECASE)
_OTHER_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                b"Rar!": "a RAR archive", b"7z\xbc\xaf": "a 7-Zip archive", b"\x1f\x8b": "a gzip archive",
                b"{\\rtf": "an RTF document"}


def detect_format(data: bytes, name: str = "") -> str:
    """'xlsx' | 'xls' | 'html' | 'text'; raises ReadError for what no reader handles."""
    label = name or "the file"
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        if any(stream in data for stream in _ENCRYPTED_STREAMS):
            raise ReadError("encrypted_file", f"{label} is a password-protected workbook; "
                            "ask for an unprotected copy")
        return "xls"
    for magic, kind in _OTHER_MAGIC.items():
        if data.startswith(magic):
            raise ReadError("unsupported_format", f"{label} is {kind}, not a spreadsheet or a text export")
    if data[:2] in _BARE_BIFF and name.lower().endswith(".xls"):
        return "xls"
    if _looks_like_html(data):
        return "html"
    if b"\x00" in data[:65536] and not (bom_encoding(data) or looks_like_bomless_utf16(data)):
        raise ReadError("unsupported_format", f"{label} is neither a spreadsheet, a web page nor a text "
                        "export (binary content of an unknown kind)")
    return "text"


def _looks_like_html(data: bytes) -> bool:
    """Markup at the start of the file, in whatever encoding it is written."""
    encoding = bom_encoding(data) or looks_like_bomless_utf16(data) or "latin-1"
    head = codecs.decode(data[:4096], encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml"):  # XHTML; an XML spreadsheet 2003 file is not HTML
        return bool(re.search(r"<html", head[:1024], re.IGNORECASE))
    return bool(_HTML_START.match(head))
