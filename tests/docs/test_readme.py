"""The README documents the whole command line, as sqlite-utils' tests/test_docs.py does for its docs.

Nothing is listed by hand: the subcommands and options come from the argparse parser, the error codes from
the code tables (every module-level ``*_CODES`` dict) and from the codes budget-etl's errors are raised with.
A new command, option or code therefore fails here until the README mentions it.
"""
from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from budget_etl.flows.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = ("budget_etl", "flows", "parsers", "expectations", "warehouse")
CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")  # English snake_case


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, argparse.ArgumentParser]]:
    """('', the top parser), ('ingest', its parser), … and nested subcommands as 'a b'."""
    found = [(prefix, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += commands(sub, f"{prefix} {name}".strip())
    return found


COMMANDS = commands(build_parser())
OPTIONS = sorted({(command, option) for command, parser in COMMANDS for action in parser._actions
                  for option in action.option_strings if option.startswith("--") and option != "--help"})


def _modules() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8"), str(path))
            for top in SOURCES for path in sorted((ROOT / top).rglob("*.py"))]


def _base_names(node: ast.ClassDef) -> set[str]:
    return {base.id if isinstance(base, ast.Name) else base.attr
            for base in node.bases if isinstance(base, (ast.Name, ast.Attribute))}


def error_codes() -> dict[str, str]:
    """code -> where it was found: keys of ``*_CODES`` tables, and the literal first argument of every call
    that makes a :class:`BudgetEtlError` (its subclasses included, ``super().__init__("code", …)`` too)."""
    modules = _modules()
    classes = [node for module in modules for node in ast.walk(module) if isinstance(node, ast.ClassDef)]
    errors = {"BudgetEtlError"}
    while True:  # subclasses of subclasses, in any order
        more = {c.name for c in classes if _base_names(c) & errors} - errors
        if not more:
            break
        errors |= more
    codes: dict[str, str] = {}
    for module in modules:
        for node in module.body:  # the tables
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            value = getattr(node, "value", None)
            if isinstance(target, ast.Name) and target.id.endswith("_CODES") and isinstance(value, ast.Dict):
                for key in value.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        codes.setdefault(key.value, target.id)
        for cls in (node for node in ast.walk(module) if isinstance(node, ast.ClassDef)):
            for call in (node for node in ast.walk(cls) if isinstance(node, ast.Call)):
                if (cls.name in errors and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                        and isinstance(call.func.value, ast.Call) and getattr(call.func.value.func, "id", "") == "super"
                        and call.args and isinstance(call.args[0], ast.Constant)):
                    codes.setdefault(str(call.args[0].value), f"{cls.name}.__init__")
        for call in (node for node in ast.walk(module) if isinstance(node, ast.Call)):
            if (isinstance(call.func, ast.Name) and call.func.id in errors and call.args
                    and isinstance(call.args[0], ast.Constant)):
                codes.setdefault(str(call.args[0].value), call.func.id)
    return codes


CODES = error_codes()


def test_the_lists_are_found():
    """The derivation works: the commands, options and codes everyone knows are among what was found."""
    names = {command for command, _ in COMMANDS}
    assert {"ingest", "query", "report", "serve", "export"} <= names
    assert {("ingest", "--db"), ("ingest", "--json"), ("query", "--format"), ("", "--debug")} <= set(OPTIONS)
    assert {"corrupt_file", "unknown_template", "warehouse_missing", "warehouse_locked", "path_not_found",
            "prefect_server_missing"} <= set(CODES)
    assert all(CODE.fullmatch(code) for code in CODES), [c for c in CODES if not CODE.fullmatch(c)]


@pytest.mark.parametrize("command", [name for name, _ in COMMANDS if name])
def test_every_subcommand_is_documented(command):
    assert re.search(rf"`budget-etl {re.escape(command)}\b", README), f"`budget-etl {command}` is not in README.md"


@pytest.mark.parametrize("command, option", OPTIONS)
def test_every_option_is_documented(command, option):
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), \
        f"{option} (an option of `{' '.join(['budget-etl', command]).strip()}`) is not in README.md"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_error_code_is_documented(code):
    assert f"`{code}`" in README, f"error code `{code}` (from {CODES[code]}) is not in README.md"


def test_the_readme_links_nothing_outside_the_repository():
    """Its own interface, documented in it: relative links stay inside the checkout, and nothing points to the
    shared folder beside it."""
    targets = re.findall(r"\]\(([^)#\s]+)", README)
    outside = [t for t in targets if not (ROOT / t).resolve().is_relative_to(ROOT) or not (ROOT / t).exists()]
    assert outside == []
    assert "../" not in README and "shared/" not in README
