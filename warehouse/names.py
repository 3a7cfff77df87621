"""Normalising the names that make up a submission's identity.

Departments type their own name into the form, so one department arrives as
``苏州市总工会（本级）``, ``苏州市总工会(本级)`` and ``苏州市总工会 （本级） ``, and
copy-paste adds characters nobody sees: zero-width spaces and joiners (U+200B,
U+200D), soft hyphens (U+00AD), bidi marks and overrides (U+200E, U+202E), a BOM
(U+FEFF). Every such spelling must land on one ``dim_department`` row and one
version chain, so the warehouse (and anyone else, e.g. the pipeline's duplicate
warnings) compares names only after :func:`normalise_name`. The raw text stays in
``submissions.department_name_raw``.
"""
from __future__ import annotations

import re
import unicodedata

# Half-width brackets become the full-width ones Chinese official names use.
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】"})
# Whitespace of any kind: ASCII, no-break space, ideographic space (U+3000), zero-width ones.
_SPACE = r"[\s\u00a0\u3000\u200b\ufeff]+"
# A CJK character or a full-width punctuation mark: spaces next to one are stray
# (Chinese is written without spaces), spaces between two Latin words are not.
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）【】]"
_STRAY_SPACE = re.compile(rf"(?<={_WIDE}){_SPACE}|{_SPACE}(?={_WIDE})")
_SPACE_RUN = re.compile(_SPACE)


def normalise_name(name: str | None) -> str | None:
    """The canonical spelling of a department or project name; None and blank stay None.

    >>> normalise_name(" 苏州市总工会 (本级) ")
    '苏州市总工会（本级）'
    >>> normalise_name("Suzhou  Trade　Union")
    'Suzhou Trade Union'
    """
    if name is None:
        return None
    text = _without_format_characters(str(name))
    # NFKC folds full-width Latin letters and digits (ＡＢＣ１２) to ASCII, but it also
    # folds full-width brackets to half-width, hence the bracket table afterwards.
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    text = _STRAY_SPACE.sub("", text.strip(" \t\r\n\u00a0\u3000\u200b\ufeff"))
    text = _SPACE_RUN.sub(" ", text).strip()
    return text or None


def _without_format_characters(text: str) -> str:
    """Unicode "format" characters (category Cf) are invisible by definition: a name never needs one."""
    if text.isprintable():  # the common case, in C: no Cf character (none is printable)
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# The spelling the brief and the README use.
normalise_department_name = normalise_name
