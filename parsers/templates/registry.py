"""The known families: the package's declarations (``families/*.toml``) plus any folders given with
``--templates DIR``.

Registering a family is dropping its file in one of those folders. A family in an extra folder with the
name of a packaged one replaces it (a bureau's local variant); two files of one folder with one name are
an error. Loading checks every declaration before a run starts: one :class:`DeclarationError` names the
file and the field.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from budget_etl.parsers.templates.declaration import (
    DeclarationError,
    Family,
    SumRule,
    load_family,
)

PACKAGE_FAMILIES = Path(__file__).resolve().parent / "families"


@dataclass(frozen=True)
class Registry:
    families: tuple[Family, ...]
    dirs: tuple[str, ...] = ()  # the extra folders it was loaded with

    def get(self, name: str) -> Family | None:
        return next((f for f in self.families if f.name == name), None)

    def family(self, name: str) -> Family:
        """The family of a name that recognition gave (so it is registered)."""
        found = self.get(name)
        if found is None:
            raise KeyError(f"no family {name!r} is registered")
        return found

    def rules_of(self, name: str) -> tuple[SumRule, ...]:
        family = self.get(name)
        return family.sum_rules if family else ()

    def fills(self, name: str, fact: str) -> bool:
        """Whether a block of family ``name`` fills ``fact`` (``fact_target``, ``fact_budget`` …)."""
        from budget_etl.parsers.templates.blocks import fills_of

        family = self.get(name)
        return family is not None and any(fact in fills_of(block) for block in family.blocks)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.families)


def _folder(path: Path, label: str) -> list[Family]:
    if not path.is_dir():
        raise DeclarationError(str(path), "(folder)", "is not a folder of family declarations")
    found: dict[str, Family] = {}
    for file in sorted(path.glob("*.toml")):
        source = f"{label}/{file.name}" if label else str(file)
        family = load_family(file, source)
        if family.name in found:
            raise DeclarationError(source, "name", f"{family.name!r} is declared twice in this folder "
                                                   f"(also in {found[family.name].source})")
        found[family.name] = family
    return list(found.values())


@lru_cache(maxsize=8)
def load_registry(dirs: tuple[str, ...] = ()) -> Registry:
    """The package's families, then each extra folder's (replacing a packaged family of the same name).
    Cached per tuple of folders: workers load it once per process."""
    families = {f.name: f for f in _folder(PACKAGE_FAMILIES, "budget_etl/parsers/templates/families")}
    for folder in dirs:
        extra = _folder(Path(folder), "")
        if not extra:
            raise DeclarationError(str(folder), "(folder)", "holds no *.toml declaration")
        for family in extra:
            families[family.name] = family
    _check_shared_rules(families.values())
    return Registry(tuple(families.values()), tuple(dirs))


def _check_shared_rules(families: Iterable[Family]) -> None:
    """A sum rule's name is one check in quality_results: two families using one name must mean one rule."""
    seen: dict[str, tuple[Family, SumRule]] = {}
    for family in families:
        for rule in family.sum_rules:
            if rule.check in seen:
                other_family, other = seen[rule.check]
                if (other.title, other.tolerance) != (rule.title, rule.tolerance):
                    raise DeclarationError(family.source, f"sum_rules.{rule.check}",
                                           f"has another title or tolerance than the rule of that name in "
                                           f"{other_family.source}; give it its own name")
            seen[rule.check] = (family, rule)


def registry_for(dirs: Iterable[str | os.PathLike] = ()) -> Registry:
    return load_registry(tuple(str(Path(d)) for d in dirs))


__all__ = ["PACKAGE_FAMILIES", "Registry", "load_registry", "registry_for"]
