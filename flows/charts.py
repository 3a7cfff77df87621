"""Charts as inline SVG, written in Python: no script, no CDN, nothing fetched, so the pages open offline
under a Content-Security-Policy that allows no script, and print.

Every text that may come from a file (a department name, a check name) is escaped here; long labels are
shortened on the axis and kept whole in the bar's tooltip (<title>). Each chart is a <figure> whose
<figcaption> says in words what the bars show, so a screen reader or a printout loses nothing.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

#: Series colours (readable on white, distinguishable in greyscale print by lightness).
PALETTE = ("#1a73e8", "#e8710a", "#188038", "#9334e6", "#d01884", "#12b5cb", "#5f6368", "#f9ab00")
STATUS_COLOURS = {"loaded": "#1b7f3b", "quarantined": "#b3261e", "rejected": "#7a1d17", "duplicate": "#9aa0a6"}

_WIDTH = 720
_LABEL_W = 210
_BAR_H = 16
_GAP = 6
_FONT = 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: list[float | None]  # one per category; None: no value (drawn as nothing, said in the tooltip)
    colour: str | None = None


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _short(label: str, limit: int = 30) -> str:
    """The label cut to ``limit`` half-width units (a CJK character is two), so it fits left of the bars."""
    label = " ".join(str(label).split())
    used, out = 0, []
    for ch in label:
        used += 2 if ord(ch) > 0x2E7F else 1
        if used > limit:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return label


def number(value: float) -> str:
    """12345.6 -> '12,345.6'; whole numbers without decimals."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def hbar_chart(categories: list[str], series: list[Series], *, caption: str, unit: str = "",
               css_class: str = "chart", max_value: float | None = None,
               bar_colours: list[str] | None = None) -> str:
    """Horizontal bars: one group per category, one bar per series (grouped), labelled with its value.

    ``bar_colours``: with a single series, one colour per category (statuses in their own colours)."""
    if not categories or not series:
        return f'<p class="none">{_esc(caption)}: nothing to show.</p>'
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    values = [v for s in series for v in s.values if v is not None]
    top = max_value if max_value is not None else max([abs(v) for v in values] + [0.0])
    top = top or 1.0
    group_h = len(series) * _BAR_H + (len(series) - 1) * 2
    legend_h = 22 if len(series) > 1 else 0
    height = legend_h + len(categories) * (group_h + _GAP * 2) + 4
    plot_w = _WIDTH - _LABEL_W - 90
    parts = [f'<svg class="{_esc(css_class)}" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
             f'role="img" aria-label="{_esc(caption)}" xmlns="http://www.w3.org/2000/svg" '
             f'font-size="{_FONT}" font-family="inherit">']
    if legend_h:
        parts.append(_legend(series, colours))
    y = legend_h
    for c, category in enumerate(categories):
        y += _GAP
        parts.append(f'<text x="{_LABEL_W - 8}" y="{y + group_h / 2 + 4:.0f}" text-anchor="end">'
                     f'<title>{_esc(category)}</title>{_esc(_short(category))}</text>')
        for s, (one, colour) in enumerate(zip(series, colours)):
            value = one.values[c]
            bar_y = y + s * (_BAR_H + 2)
            tip = f"{category} · {one.name}: {number(value)}{unit}" if value is not None else \
                f"{category} · {one.name}: no value"
            width = 0.0 if value is None else max(abs(value) / top * plot_w, 1.0 if value else 0.0)
            fill = bar_colours[c] if bar_colours and len(series) == 1 else colour
            parts.append(f'<rect x="{_LABEL_W}" y="{bar_y}" width="{width:.1f}" height="{_BAR_H}" '
                         f'fill="{fill}"><title>{_esc(tip)}</title></rect>')
            label = number(value) + unit if value is not None else "—"
            parts.append(f'<text x="{_LABEL_W + width + 4:.1f}" y="{bar_y + _BAR_H - 4}">{_esc(label)}</text>')
        y += group_h + _GAP
    parts.append("</svg>")
    return _figure("".join(parts), caption)


def stacked_columns(periods: list[str], series: list[Series], *, caption: str, css_class: str = "chart") -> str:
    """Vertical columns, one per period, each stacked from the series (counts per status over time)."""
    if not periods or not series:
        return f'<p class="none">{_esc(caption)}: nothing to show.</p>'
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    totals = [sum((s.values[p] or 0) for s in series) for p in range(len(periods))]
    top = max(totals + [1])
    left, bottom, legend_h, plot_h = 48, 40, 32, 220
    height = legend_h + plot_h + bottom
    step = (_WIDTH - left - 10) / len(periods)
    col_w = max(min(step * 0.7, 48), 1.0)
    parts = [f'<svg class="{_esc(css_class)}" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
             f'role="img" aria-label="{_esc(caption)}" xmlns="http://www.w3.org/2000/svg" '
             f'font-size="{_FONT}" font-family="inherit">', _legend(series, colours)]
    base = legend_h + plot_h
    for tick in (0, top / 2, top):
        ty = base - tick / top * plot_h
        parts.append(f'<line x1="{left}" x2="{_WIDTH - 10}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#dadce0"/>'
                     f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{_esc(number(round(tick)))}</text>')
    label_every = max(1, round(len(periods) / 12))  # at most ~12 axis labels, every column keeps its tooltip
    for p, period in enumerate(periods):
        x = left + p * step + (step - col_w) / 2
        y = base
        for one, colour in zip(series, colours):
            value = one.values[p] or 0
            if not value:
                continue
            h = value / top * plot_h
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" fill="{colour}">'
                         f'<title>{_esc(period)} · {_esc(one.name)}: {_esc(number(value))}</title></rect>')
        if p % label_every == 0:
            parts.append(f'<text x="{x + col_w / 2:.1f}" y="{base + 16}" text-anchor="middle">'
                         f'{_esc(_short(period, 12))}</text>')
    parts.append("</svg>")
    return _figure("".join(parts), caption)


def _legend(series: list[Series], colours: list[str]) -> str:
    out, x = [], 10
    for one, colour in zip(series, colours):
        name = _short(one.name, 20)
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="14">{_esc(name)}</text>')
        x += 16 + 8 * len(name) + 24 if name.isascii() else 16 + 13 * len(name) + 24
    return "".join(out)


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="chart">{svg}<figcaption>{_esc(caption)}</figcaption></figure>'
