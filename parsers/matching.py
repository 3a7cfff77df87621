"""How indicators meet across documents: by their normalised 一级/二级/三级 names.

A target table says 产出指标 / 数量指标 / 发放劳模“三金”人数, its self-evaluation 产出 / 数量指标 /
指标1：发放劳模"三金"人数: the same indicator. Within one (department, year, project) two indicators match
when their keys are equal:

- full-width letters, digits and punctuation are read half-width, and spaces and quotation marks dropped;
- a 一级 or 二级 name loses a trailing 指标 (产出指标 = 产出);
- a 三级 name loses a leading ordinal (指标1：);
- any level loses the number an office typed before it ('1.数量指标', '2、', '（1）发放…', '一、产出', '（一）',
  '①'), but not a number that is part of the name ('1.5万人次培训': a digit right after the point).

The views compute the same key in SQL (the ``indicator_match_key`` macro of the evaluation results
migration); a test keeps both spellings of the rule equal.
"""
from __future__ import annotations

import re

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20})
_DROPPED = re.compile(r"[\s\"'“”‘’「」『』《》]+")
_LEVEL_SUFFIX = re.compile(r"指标$")
_ORDINAL = re.compile(r"^指标[0-9]+:?")
#: '1.' '2、' '(1)' '1)' '一、' '(一)' '①' before a name (read half-width), the character after it kept: \1. RE2 (the
#: SQL macro's engine) has no lookahead, so the rule "not a digit next" is that character, put back.
_NUMBERING = re.compile(r"^(?:[0-9]+[.、]|\(?[0-9]+\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|[①-⑳])([^0-9]|$)")


def name_key(name: str | None) -> str:
    """The name read half-width, without spaces and quotation marks, nor the number typed before it."""
    return _NUMBERING.sub(r"\1", _DROPPED.sub("", (name or "").translate(_FULL_WIDTH)))


def level_key(name: str | None) -> str:
    """A 一级 or 二级 name's key: '产出指标' -> '产出', '1.数量指标' -> '数量'."""
    return _LEVEL_SUFFIX.sub("", name_key(name))


def indicator_match_key(level1: str | None, level2: str | None, level3: str | None) -> str:
    """'产出指标', '数量指标', '指标1：发放人数' -> '产出|数量|发放人数'; '（1）发放人数' too."""
    return f"{level_key(level1)}|{level_key(level2)}|{_ORDINAL.sub('', name_key(level3))}"


def sql_full_width_tables() -> tuple[str, str]:
    """The ``translate()`` arguments of the SQL macro: every full-width character and its half-width one."""
    source = "".join(chr(code) for code in _FULL_WIDTH)
    target = "".join(chr(code) for code in _FULL_WIDTH.values())
    return source, target
