"""Safe access to a zip package (.xlsx/.xlsm) and the XML inside it.

Everything hostile is refused before any parsing, from the central directory alone:
too many members, too many uncompressed bytes, a member that inflates by more than
the ratio budget (a zip bomb), encrypted members. Members are then inflated in
bounded chunks (the declared sizes can lie), and every XML part is refused as
``unsafe_xml`` if it declares a DOCTYPE or an ENTITY (billion laughs, external
entities) — a spreadsheet never needs either. A part that declares an encoding in
which '<!DOCTYPE' is spelt with other bytes (EBCDIC 'cp037', …) is decoded and scanned
again. Behind the scans, ElementTree (``iter_elements``) never fetches external
entities, and expat ≥ 2.4 limits entity amplification by itself.
"""
from __future__ import annotations

import codecs
import io
import posixpath
import re
import struct
import zipfile
import zlib
from typing import Iterator, cast
from xml.etree.ElementTree import Element, ParseError, XMLParser, XMLPullParser
from xml.parsers import expat

from budget_etl.parsers.errors import ReadError
from budget_etl.parsers.readers.limits import ReadLimits

_CHUNK = 1 << 16
_LOCAL_HEADER_SIZE = 30
_PLAIN_FLAGS = 0x080E  # deflate level bits, sizes in a data descriptor, UTF-8 name: nothing to undo
_DTD_MARKERS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_TEXT_DTD_MARKERS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Encodings whose '<!DOCTYPE' is the same bytes as in ASCII: the byte scan already saw it.
_ASCII_SPELLED = frozenset({"utf_8", "ascii", "latin_1", "iso8859_1", "cp1252", "utf_16", "utf_16_le", "utf_16_be",
                            "gb2312", "gbk", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr"})
# An element tree costs about 10 bytes of memory per byte of XML: parts up to this size are
# parsed whole (fastest); larger ones are streamed so that memory stays flat.
TREE_MAX_BYTES = 8 * 1024 * 1024
_FEED_CHUNK = 1 << 20
# What zipfile raises on a damaged archive: besides BadZipFile and zlib errors, NotImplementedError for a
# compression method it does not know (a bit flip in a header) and RuntimeError for an encrypted member.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


class Package:
    def __init__(self, data: bytes, name: str, limits: ReadLimits):
        self.name = name or "the file"
        self.limits = limits
        try:
            self._data = data
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

    def read(self, path: str) -> bytes:
        info = self._infos.get(path)
        if info is None:
            raise ReadError("corrupt_file", f"{self.name} is incomplete: part {path} is missing")
        plain = self._inflate_plain(info)
        if plain is not None:
            return plain
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

    def _inflate_plain(self, info: zipfile.ZipInfo) -> bytes | None:
        """A stored or deflated member straight from the archive's bytes, or None for zipfile to handle.

        zipfile's per-member machinery costs more than inflating a small part; this takes
        only the plain case and checks what zipfile checks (header, name, exact size,
        CRC-32). Anything unusual returns None, so zipfile reads it or reports the damage.
        """
        data, offset = self._data, info.header_offset
        header = data[offset:offset + _LOCAL_HEADER_SIZE]
        if (len(header) < _LOCAL_HEADER_SIZE or header[:4] != b"PK\x03\x04" or info.flag_bits & ~_PLAIN_FLAGS
                or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)):
            return None
        name_size, extra_size = struct.unpack_from("<HH", header, 26)
        start = offset + _LOCAL_HEADER_SIZE
        try:
            name = data[start:start + name_size].decode("utf-8" if info.flag_bits & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        start += name_size + extra_size
        stored = data[start:start + info.compress_size]
        if name != info.orig_filename or len(stored) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            content = stored
        else:
            inflater = zlib.decompressobj(-15)
            try:
                content = inflater.decompress(stored, info.file_size + 1)  # never more than declared (+1 to see it)
            except zlib.error:
                return None
            if not inflater.eof:
                return None
        if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
            return None
        return content

    def read_xml(self, path: str) -> bytes:
        data = self.read(path)
        if _DTD_MARKERS.search(_ascii_view(data)) or _declares_dtd_in_other_encoding(data):
            raise ReadError("unsafe_xml", f"{self.name}: part {path} declares a DOCTYPE or ENTITY, which "
                            "spreadsheets never need (entity expansion or external entity attack)")
        return data


def _ascii_view(data: bytes) -> bytes:
    """UTF-16 XML spelled byte-wise: drop the NULs so the marker scan sees '<!DOCTYPE'."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        return data.replace(b"\x00", b"")
    return data


def _declares_dtd_in_other_encoding(data: bytes) -> bool:
    """A DOCTYPE spelt in a declared encoding that is not ASCII-compatible (UTF-7, EBCDIC 'cp037', …)."""
    declared = _DECLARED_ENCODING.match(data[:200])
    if declared is None:
        return False
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")).name.replace("-", "_")
    except LookupError:
        return False  # expat refuses an encoding it cannot map, so nothing gets parsed
    if codec in _ASCII_SPELLED:
        return False
    return bool(_TEXT_DTD_MARKERS.search(data.decode(codec, errors="replace")))


def local_name(tag: str) -> str:
    """'{http://…/main}c' or 'x:c' -> 'c'."""
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2].rpartition(":")[2]
        if len(LOCAL_NAMES) < 10_000:  # a hostile part may invent endless names; keep the cache bounded
            LOCAL_NAMES[tag] = name
    return name


#: local_name's cache, for hot loops: ``LOCAL_NAMES.get(tag) or local_name(tag)`` saves a call per element.
LOCAL_NAMES: dict[str, str] = {}


def iter_elements(data: bytes, where: str, names: frozenset[str]) -> Iterator[Element]:
    """Yield the elements of ``data`` whose local name is in ``names``, children complete, in document order.

    ElementTree's C parser builds the elements, so Python sees only the elements asked
    for — not a start, end and text callback for every node as with expat handlers.
    A part up to ``TREE_MAX_BYTES`` is parsed whole; a larger one is fed in slices and
    each yielded element is cleared once the caller is done with it, so a long sheet
    costs one row of memory. ``names`` must not nest in each other (the whole-part walk
    does not look inside an element it yields). Call only on bytes from :meth:`Package.read_xml`,
    which refuses DTDs.
    """
    try:
        if len(data) <= TREE_MAX_BYTES:
            parser = XMLParser()
            parser.feed(data)
            yield from _walk_tree(parser.close(), names)
        else:
            yield from _stream_elements(data, names)
    except ParseError as exc:
        raise ReadError("corrupt_file", f"{where} is damaged: {expat.ErrorString(exc.code)} "
                        f"at line {exc.position[0]}") from None


def _walk_tree(root: Element, names: frozenset[str]) -> Iterator[Element]:
    """Pre-order walk that does not descend into a wanted element: a sheet's cells are never visited here."""
    wanted: dict[str, bool] = {}  # tag as parsed ('{…/main}row') -> is it asked for?
    stack = [iter((root,))]
    while stack:
        for element in stack[-1]:
            tag = element.tag
            is_wanted = wanted.get(tag)
            if is_wanted is None:
                is_wanted = wanted[tag] = local_name(tag) in names
            if is_wanted:
                yield element
            elif len(element):
                stack.append(iter(element))
                break
        else:
            stack.pop()


def _stream_elements(data: bytes, names: frozenset[str]) -> Iterator[Element]:
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    view = memoryview(data)
    for offset in [*range(0, len(data), _FEED_CHUNK), None]:
        if offset is None:
            parser.close()  # the last events, or 'no element found' for a truncated part
        else:
            parser.feed(view[offset:offset + _FEED_CHUNK])
        # only "end" events were asked for: each carries an element (typeshed's type allows any event's value)
        for _event, element in cast("Iterator[tuple[str, Element]]", parser.read_events()):
            if local_name(element.tag) in names:
                yield element
                element.clear()  # the caller is done with it: memory stays at one such element


def resolve_target(base_part: str, target: str) -> str:
    """A relationship target relative to the part that owns the relationships."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_path(part: str) -> str:
    directory, _, filename = part.rpartition("/")
    return f"{directory}/_rels/{filename}.rels" if directory else f"_rels/{filename}.rels"
