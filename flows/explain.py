"""`budget-etl explain FILE` and `budget-etl templates`: why a file is (not) recognised, and which families exist.

For each sheet and family `explain` shows the score against the family's recognition score, the title and
labels found with their cells, the labels missing, and — for a near miss (a score at or above the family's
``near_miss``, below its recognition score) — the closest label texts it saw for each missing label, so an
analyst sees 因公出国（境）费 where the declaration says 因公出国(境)费 and can add a synonym.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from budget_etl.parsers.templates.registry import Registry


@dataclass(frozen=True, slots=True)
class Explanation:
    text: str
    recognised: bool


def list_templates(registry: Registry) -> str:
    """One line per family: name, scope, title, where its declaration is."""
    rows = [(f.name, f.scope, f.title, f.source) for f in registry.families]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{name:<{widths[0]}}  {scope:<{widths[1]}}  {title}  ({source})"
                     for name, scope, title, source in rows)


def explain_file(path: Path, registry: Registry) -> Explanation:
    """Read the file (the ordinary readers and limits) and explain its recognition, sheet by sheet."""
    from budget_etl.parsers.readers import read_bytes
    from budget_etl.parsers.templates import recognise
    from budget_etl.parsers.templates.engine import closest_labels
    from budget_etl.parsers.templates.labels import SheetIndex

    workbook = read_bytes(Path(path).read_bytes(), Path(path).name)
    ranked = recognise(workbook, registry)
    chosen = next((r for r in ranked if r.recognised), None)
    indexes = {sheet.name: SheetIndex(sheet) for sheet in workbook.sheets}
    lines = [f"{path} ({workbook.format}, {len(workbook.sheets)} sheet(s))"]
    by_place: dict[str, list] = {}
    for recognition in ranked:
        family = registry.get(recognition.template)
        place = "workbook" if family.scope == "workbook" else f"sheet {recognition.sheet!r}"
        by_place.setdefault(place, []).append((family, recognition))
    order = [f"sheet {sheet.name!r}" for sheet in workbook.sheets] + ["workbook"]
    for place in [p for p in order if p in by_place]:
        hidden = place != "workbook" and next(s for s in workbook.sheets if f"sheet {s.name!r}" == place).hidden
        lines.append(f"{place}{' (hidden)' if hidden else ''}")
        for family, recognition in by_place[place]:
            seen = recognition.detail
            near = family.near_miss <= seen.score < family.min_score
            verdict = "recognised" if recognition.recognised else "near miss" if near else "not recognised"
            lines.append(f"  {family.name}: score {seen.score:.2f} (recognised at {family.min_score:g}, near miss "
                         f"at {family.near_miss:g}): {verdict}")
            lines.append(f"    title: {seen.title.text!r} at {seen.title.cell}" if seen.title
                         else "    title: not found")
            for hit in seen.hits:
                spelled = "" if hit.text.replace(" ", "") == hit.label else f" ({hit.text!r})"
                lines.append(f"    found: {hit.label} at {hit.cell}{spelled}")
            for label in seen.missing:
                lines.append(f"    missing: {label}")
                if near:
                    sheets = [indexes[s.name] for s in workbook.sheets] if family.scope == "workbook" \
                        else [indexes[recognition.sheet]]
                    for text, cell, ratio in closest_labels(family, sheets, label):
                        lines.append(f"      closest: {text!r} at {cell} (similarity {ratio:.2f})")
    if chosen is None:
        lines.append("result: no family recognised (unknown_template)")
    else:
        lines.append(f"result: {chosen.template} on sheet {chosen.sheet!r}, score {chosen.score:.2f}")
    return Explanation("\n".join(lines), chosen is not None)
