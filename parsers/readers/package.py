"""Safe access to a zip package (.xlsx/.xlsm) and the XML inside it.

Everything hostile is refused before any parsing, from the central directory alone:
too many members, too many uncompressed bytes, a member that inflates by more than
the ratio budget (a zip bomb), encrypted members. Members are then inflated in
bounded chunks (the declared sizes can lie), and every XML part is refused as
``unsafe_xml`` if it declares a DOCTYPE or an ENTITY (billion laughs, external
entities) — a spreadsheet never needs either. The expat parser used afterwards
rejects the same declarations again, so a part hidden from the byte scan (an odd
encoding) is still caught.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import Callable
from xml.parsers import expat

from parsers.errors import ReadError
from parsers.readers.limits import ReadLimits

_CHUNK = 1 << 16
_DTD_MARKERS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


class Package:
    def __init__(self, data: bytes, name: str, limits: ReadLimits):
        self.name = name or "the file"
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _BROKEN:
            raise ReadError("corrupt_file", f"{self.name} is damaged or truncated: it is not a complete "
                            "zip archive (an .xlsx file is one). Ask for the file to be sent again.") from None
        self._infos = {info.filename: info for info in infos}
        self._check_budgets(infos)

    def _check_budgets(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self.limits
        if len(infos) > limits.max_zip_members:
            raise ReadError("too_large", f"{self.name} holds {len(infos):,} parts; the limit is "
                            f"{limits.max_zip_members:,}")
        total = sum(info.file_size for info in infos)
        if total > limits.max_uncompressed_bytes:
            raise ReadError("too_large", f"{self.name} unpacks to {total:,} bytes; the limit is "
                            f"{limits.max_uncompressed_bytes:,}")
        for info in infos:
            if info.flag_bits & 0x1:
                raise ReadError("encrypted_file", f"{self.name} is password-protected; "
                                "ask for an unprotected copy")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= limits.ratio_check_min_bytes and ratio > limits.max_compression_ratio:
                raise ReadError("too_large", f"{self.name}: part {info.filename} inflates {ratio:,.0f} times "
                                f"(limit {limits.max_compression_ratio:,.0f}); this looks like a zip bomb")

    def has(self, path: str) -> bool:
        return path in self._infos

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, path: str) -> bytes:
        info = self._infos.get(path)
        if info is None:
            raise ReadError("corrupt_file", f"{self.name} is incomplete: part {path} is missing")
        budget = info.file_size
        chunks, size = [], 0
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > budget:  # ZipExtFile stops at the declared size; belt and braces
                        raise ReadError("too_large", f"{self.name}: part {path} is larger than it declares")
                    chunks.append(chunk)
        except _BROKEN as exc:
            raise ReadError("corrupt_file", f"{self.name} is damaged: part {path} cannot be unpacked "
                            f"({exc})") from None
        return b"".join(chunks)

    def read_xml(self, path: str) -> bytes:
        data = self.read(path)
        if _DTD_MARKERS.search(_ascii_view(data)):
            raise ReadError("unsafe_xml", f"{self.name}: part {path} declares a DOCTYPE or ENTITY, which "
                            "spreadsheets never need (entity expansion or external entity attack)")
        return data


def _ascii_view(data: bytes) -> bytes:
    """UTF-16 XML spelled byte-wise: drop the NULs so the marker scan sees '<!DOCTYPE'."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        return data.replace(b"\x00", b"")
    return data


def parse_xml(data: bytes, where: str, start: Callable, end: Callable | None = None,
              chars: Callable | None = None, *, prefixed: bool = False) -> None:
    """Stream ``data`` through expat with DTDs forbidden.

    Element and attribute names reach the handlers as local names ('c', 'id'). With
    ``prefixed=True`` the handlers are installed directly and get names as written
    ('c', or 'x:c' from the odd generator) — the hot path for worksheets, where a
    wrapper call per element would cost more than the parsing itself.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise ReadError("unsafe_xml", f"{where} declares a DOCTYPE or ENTITY")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    if prefixed:
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
    else:
        parser.StartElementHandler = lambda tag, attrs: start(_local(tag), {_local(k): v for k, v in attrs.items()})
        if end is not None:
            parser.EndElementHandler = lambda tag: end(_local(tag))
    if chars is not None:
        parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ReadError("corrupt_file", f"{where} is damaged: {expat.ErrorString(exc.code)} "
                        f"at line {exc.lineno}") from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def resolve_target(base_part: str, target: str) -> str:
    """A relationship target relative to the part that owns the relationships."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_path(part: str) -> str:
    directory, _, filename = part.rpartition("/")
    return f"{directory}/_rels/{filename}.rels" if directory else f"_rels/{filename}.rels"
