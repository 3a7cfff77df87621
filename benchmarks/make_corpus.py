"""Write a realistic corpus of N submissions for the benchmarks: ``make_corpus.py N DIR [--seed S]``.

Every file is a department (部门整体预算绩效目标表) or project (项目支出绩效目标表) table drawn by the
template fixture script's layout writers (so the corpus only contains layouts the template tests cover),
with its own department, year, project, amounts and size (project lines, indicators). Valid files add up;
a configurable share is broken on purpose (truncated zip, random bytes, sums that do not add up, a table
that is no template). ``DIR/.manifest.csv`` (hidden, so an ingest of DIR skips it) says what each file is
and which status an ingest must give it.

Deterministic: file ``i`` depends only on (seed, i, options), and zip timestamps are pinned, so the same
command writes byte-identical files, in one process or several (``--jobs``).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from make_template_fixtures import (  # noqa: E402
    INSTRUCTIONS,
    NOTE,
    DepartmentContent,
    Grid,
    ProjectContent,
    department_grid,
    project_grid,
    seed_content,
    write_html,
    write_text,
    write_xls,
    write_xlsx,
)

MANIFEST = ".manifest.csv"
MANIFEST_COLUMNS = ["index", "name", "format", "layout", "template", "kind", "expected_status",
                    "department_name", "fiscal_year", "project_name", "project_lines", "indicators",
                    "size", "sha256"]
#: the realistic default: mostly xlsx, then text exports from the budget system, some legacy and web files
DEFAULT_FORMATS = {"xlsx": 0.55, "text": 0.25, "xls": 0.10, "html": 0.10}
XLSX_LAYOUTS = ("merged-cells", "offset-start", "nested-header", "amounts-as-text", "formula-totals",
                "instructions-sheet-first", "blank-rows-and-note")
#: broken kind -> the status an ingest must give it
#: (an unknown layout is a real table no family knows: it loads as generic tables, nothing readable is lost)
BROKEN_KINDS = {"truncated_zip": "rejected", "random_bytes": "rejected", "unknown_layout": "loaded",
                "sums_do_not_add_up": "quarantined"}
PINNED_ZIP_TIME = (2024, 3, 1, 9, 0, 0)
PINNED_W3CDTF = "2024-03-01T09:00:00Z"

# -- names: identities are unique per file (index -> mixed-radix digits), so every valid file loads ------------
PLACES = ["苏州市", "苏州市姑苏区", "苏州市吴江区", "苏州市吴中区", "苏州市相城区", "苏州市虎丘区", "苏州工业园区",
          "常熟市", "张家港市", "昆山市", "太仓市", "无锡市", "无锡市梁溪区", "无锡市滨湖区", "江阴市", "宜兴市",
          "南京市", "南京市玄武区", "南京市鼓楼区", "南京市江宁区", "常州市", "常州市武进区", "南通市", "南通市崇川区",
          "扬州市", "镇江市", "泰州市", "盐城市", "淮安市", "宿迁市"]
ORGANS = ["总工会", "财政局", "教育局", "卫生健康委员会", "民政局", "人力资源和社会保障局", "住房和城乡建设局",
          "交通运输局", "水务局", "农业农村局", "商务局", "文化广电和旅游局", "市场监督管理局", "统计局", "审计局",
          "生态环境局", "自然资源和规划局", "应急管理局", "司法局", "科学技术局", "工业和信息化局", "退役军人事务局",
          "医疗保障局", "体育局", "档案馆", "图书馆", "妇女联合会", "共青团委员会", "残疾人联合会", "科学技术协会"]
UNITS = ["（本级）", "机关服务中心", "信息中心"]
YEARS = list(range(2019, 2027))
PROJECT_THEMES = ["劳模“三金”专项经费", "困难职工帮扶资金", "职工技能竞赛经费", "信息化系统运维", "档案数字化建设",
                  "公共卫生服务补助", "义务教育学生资助", "城乡低保补助", "道路养护专项", "河道整治工程",
                  "高标准农田建设", "文化惠民演出", "市场监管执法装备", "统计调查专项", "审计信息化",
                  "大气污染防治", "国土空间规划编制", "安全生产宣传", "法律援助专项", "科技创新券",
                  "中小企业服务补助", "退役军人优待抚恤", "医保基金监管", "全民健身设施", "档案馆库维护",
                  "公共图书馆免费开放", "妇女儿童关爱", "青少年活动阵地", "残疾人康复补助", "科普宣传经费"]
PROJECT_LINES = ["退休人员体检费", "工会社工工资", "困难职工帮扶资金", "专项奖励表彰费", "企业退休劳模荣誉津贴",
                 "劳模健康关爱工程", "劳模“三金”专项经费", "信息化运维经费", "宣传教育经费", "业务培训费",
                 "办公用房维修", "课题研究经费", "专项审计经费", "档案整理经费", "志愿服务活动经费", "应急物资储备"]
EXTRA_INDICATORS = [("产出指标", "数量指标", "{}覆盖人数", "≥{}人"), ("产出指标", "质量指标", "{}验收合格率", "≥{}%"),
                    ("产出指标", "时效指标", "{}按时完成率", "={}%"), ("效益指标", "社会效益指标", "{}知晓率", "≥{}%"),
                    ("满意度指标", "服务对象满意度指标", "{}满意度", "≥{}%")]


@dataclass(frozen=True)
class Options:
    seed: int = 0
    broken_share: float = 0.1
    formats: tuple[tuple[str, float], ...] = tuple(DEFAULT_FORMATS.items())
    project_share: float = 0.4


@dataclass(frozen=True)
class Entry:
    """One manifest row, before size and sha256 are known."""

    index: int
    name: str
    format: str
    layout: str
    template: str
    kind: str
    department_name: str = ""
    fiscal_year: int | str = ""
    project_name: str = ""
    project_lines: int | str = ""
    indicators: int | str = ""

    @property
    def expected_status(self) -> str:
        return BROKEN_KINDS.get(self.kind, "loaded")


def _identity(index: int, seed: int) -> tuple[str, int, int]:
    """(department name, year, theme number), distinct for distinct indexes below 21,600 (then repeating
    with a sub-unit number): a multiplicative permutation keeps neighbours from looking alike."""
    capacity = len(PLACES) * len(ORGANS) * len(UNITS) * len(YEARS)
    n = (index * 7919 + seed * 104729) % capacity  # 7919 is prime and does not divide the capacity
    n, place = divmod(n, len(PLACES))
    n, organ = divmod(n, len(ORGANS))
    n, unit = divmod(n, len(UNITS))
    year = YEARS[n % len(YEARS)]
    suffix = f"第{index // capacity + 1}分部" if index >= capacity else ""
    return PLACES[place] + ORGANS[organ] + UNITS[unit] + suffix, year, index % len(PROJECT_THEMES)


def _cents(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low * 100, high * 100)


def _wan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _split(rng: random.Random, total: int, parts: int, zero_chance: float = 0.5) -> list[int]:
    """``total`` cents in ``parts`` non-negative pieces adding up exactly (later pieces often 0)."""
    pieces, left = [], total
    for _ in range(parts - 1):
        piece = 0 if rng.random() < zero_chance else rng.randint(0, left // 3)
        pieces.append(piece)
        left -= piece
    return [left] + pieces


def department_content(rng: random.Random, name: str, year: int) -> DepartmentContent:
    seed = SEED_CONTENT
    lines = rng.sample(PROJECT_LINES, rng.randint(1, 12))
    fulls = [_cents(rng, 0, 800) for _ in lines]
    halves = [rng.randint(0, full) for full in fulls]
    basic_full = _cents(rng, 50, 3000)
    basic_half = rng.randint(basic_full // 3, basic_full)
    total = basic_full + sum(fulls)
    grant, assets, social, carried, other = _split(rng, total, 5, zero_chance=0.7)
    general, fund, special = _split(rng, grant, 3)
    first, key_tasks, last = seed.tables
    kept = sorted(rng.sample(range(len(first[1])), rng.randint(3, len(first[1]))))
    tables = [(False, [first[1][i] for i in kept])]
    if rng.random() < 0.6:
        tables.append(key_tasks)
    tables.append(last)
    place = name.split("市")[0] + "市" if "市" in name else name
    return replace(
        seed, title=f"{place}部门整体预算绩效目标表", year=f"{year}年度", name=name,
        income=[("资金总额", _wan(total)), ("财政拨款", _wan(grant)), ("国有资本金", _wan(assets)),
                ("社保基金", _wan(social)), ("上年结转资金", _wan(carried)), ("其他资金", _wan(other))],
        grant_children=[("一般公共预算资金", _wan(general)), ("政府性基金", _wan(fund)), ("财政专户管理资金", _wan(special))],
        basic=(_wan(basic_half), _wan(basic_full)), projects_total=(_wan(sum(halves)), _wan(sum(fulls))),
        project_lines=[(line, _wan(h), _wan(f)) for line, h, f in zip(lines, halves, fulls)],
        tables=tables,
    )


def project_content(rng: random.Random, department: str, year: int, theme: int) -> ProjectContent:
    base = ProjectContent()
    total = _cents(rng, 5, 2000)
    grant, carried, other = _split(rng, total, 3)
    indicators = list(base.indicators)
    for number in range(rng.randint(0, 18)):  # sizes from 12 to 30 indicators
        level1, level2, label, value = EXTRA_INDICATORS[number % len(EXTRA_INDICATORS)]
        amount = rng.randint(60, 100) if "%" in value else rng.randint(10, 5000)
        indicators.append((level1, level2, label.format(f"子项{number + 1}"), value.format(amount)))
    indicators.sort(key=lambda i: [level for level, *_ in base.indicators].index(i[0]))  # keep level-1 groups together
    return replace(
        base, year=f"（{year}年度）", name=PROJECT_THEMES[theme], supervisor=department, implementer=department,
        funds=(("年度资金总额", _wan(total)), ("其中：财政拨款", _wan(grant)), ("上年结转资金", _wan(carried)),
               ("其他资金", _wan(other))),
        indicators=tuple(indicators),
    )


def _break_sums(content):
    """Add 1–500 万元 to the stated total so it no longer equals its parts."""
    def off(value: Decimal) -> Decimal:
        return value + Decimal(1 + int(value) % 500)
    if isinstance(content, DepartmentContent):
        return replace(content, income=[(n, off(v) if n == "资金总额" else v) for n, v in content.income])
    return replace(content, funds=((content.funds[0][0], off(content.funds[0][1])),) + content.funds[1:])


def _unknown_layout(rng: random.Random) -> Grid:
    """A staff list: a real table, but neither template."""
    g = Grid()
    g.add((1, "职工花名册"))
    g.add((1, "姓名"), (2, "部门"), (3, "入职年份"))
    for number in range(rng.randint(2, 40)):
        g.add((1, f"职工{number + 1:03d}"), (2, rng.choice(ORGANS)), (3, Decimal(rng.choice(YEARS))))
    return g


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weights], [w for _, w in weights])[0]


def plan_file(index: int, options: Options) -> tuple[Entry, object]:
    """What file ``index`` is, and its content (a grid maker, or raw bytes for random ones)."""
    rng = random.Random(f"{options.seed}:{index}")
    broken = rng.random() < options.broken_share
    kind = rng.choice(sorted(BROKEN_KINDS)) if broken else "valid"
    fmt = "xlsx" if kind in ("truncated_zip", "unknown_layout") else _pick(rng, options.formats)
    layout = rng.choice(XLSX_LAYOUTS) if fmt == "xlsx" else {"xls": "legacy", "html": "export", "text": "gb18030"}[fmt]
    if kind == "random_bytes":
        entry = Entry(index, f"{index:05d}-random-bytes.{fmt.replace('text', 'txt')}", fmt, "random", "", kind)
        return entry, rng.randbytes(rng.randint(200, 60_000))
    if kind == "unknown_layout":
        return Entry(index, f"{index:05d}-staff-list.xlsx", fmt, "merged-cells", "", kind), _unknown_layout(rng)
    department, year, theme = _identity(index, options.seed)
    if rng.random() < options.project_share:
        content = project_content(rng, department, year, theme)
        entry = Entry(index, "", fmt, layout, "project", kind, department, year, content.name,
                      "", len(content.indicators))
        grid_of = lambda **kw: project_grid(content_used, **kw)  # noqa: E731
    else:
        content = department_content(rng, department, year)
        entry = Entry(index, "", fmt, layout, "department_overall", kind, department, year, "",
                      len(content.project_lines), sum(len(t) for _, t in content.tables))
        grid_of = lambda **kw: department_grid(content_used, **kw)  # noqa: E731
    content_used = _break_sums(content) if kind == "sums_do_not_add_up" else content
    ext = {"xlsx": "xlsx", "xls": "xls", "html": "html", "text": "txt"}[fmt]
    template = "project" if entry.template == "project" else "department"
    entry = replace(entry, name=f"{index:05d}-{template}-{layout}.{ext}")
    return entry, (grid_of, content_used.title, rng.randint(1, 4), rng.randint(1, 3))


def write_file(directory: Path, index: int, options: Options) -> dict:
    """Write file ``index``; return its manifest row."""
    entry, content = plan_file(index, options)
    path = directory / entry.name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, Grid):
        write_xlsx(path, content, sheet="Sheet1")
        _pin_zip(path)
    else:
        grid_of, title, down, right = content
        _write_layout(path, entry.layout, grid_of, title, down, right)
    if entry.kind == "truncated_zip":
        data = path.read_bytes()
        rng = random.Random(f"{options.seed}:{index}:cut")
        path.write_bytes(data[: int(len(data) * rng.uniform(0.3, 0.9))])
    data = path.read_bytes()
    row = {column: getattr(entry, column, "") for column in MANIFEST_COLUMNS}
    row.update(expected_status=entry.expected_status, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return row


def _write_layout(path: Path, layout: str, grid_of, title: str, down: int, right: int) -> None:
    base = grid_of()
    if layout == "legacy":
        return write_xls(path, base)
    if layout == "export":
        return write_html(path, base, title)
    if layout == "gb18030":
        return write_text(path, base, "gb18030")
    before = ()
    if layout == "offset-start":
        base = base.shifted(down, right)
    elif layout in ("nested-header", "amounts-as-text", "formula-totals"):
        base = grid_of(**{layout.replace("-", "_").replace("formula_totals", "formulas"): True})
    elif layout == "instructions-sheet-first":
        before = [("填报说明", INSTRUCTIONS)]
    elif layout == "blank-rows-and-note":
        base = base.with_blank_rows({3, 6, base.row - 2, base.row})
        base.add((1, NOTE, 1, base.max_col), skip=2)
    write_xlsx(path, base, before=before)
    _pin_zip(path)


def _pin_zip(path: Path) -> None:
    """openpyxl stamps the zip entries and docProps/core.xml with the current time: pin both."""
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + PINNED_W3CDTF.encode(), data)
            target.writestr(zipfile.ZipInfo(name, PINNED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def _write_one(job: tuple[str, int, Options]) -> dict:
    directory, index, options = job
    return write_file(Path(directory), index, options)


def make_corpus(count: int, directory: Path, options: Options = Options(), jobs: int = 1) -> list[dict]:
    """Write ``count`` files and the manifest into ``directory``; returns the manifest rows."""
    directory.mkdir(parents=True, exist_ok=True)
    work = [(str(directory), index, options) for index in range(count)]
    if jobs > 1 and count > 20:
        from multiprocessing import get_context

        with get_context("spawn").Pool(jobs) as pool:
            rows = pool.map(_write_one, work, chunksize=16)
    else:
        rows = [_write_one(job) for job in work]
    with open(directory / MANIFEST, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def read_manifest(directory: Path) -> list[dict]:
    with open(Path(directory) / MANIFEST, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def parse_formats(text: str) -> tuple[tuple[str, float], ...]:
    """'xlsx=0.7,text=0.3' -> (('xlsx', 0.7), ('text', 0.3))."""
    pairs = []
    for item in text.split(","):
        name, _, weight = item.partition("=")
        if name.strip() not in DEFAULT_FORMATS:
            raise argparse.ArgumentTypeError(f"unknown format {name!r}; choose from {', '.join(DEFAULT_FORMATS)}")
        pairs.append((name.strip(), float(weight or 1)))
    return tuple(pairs)


SEED_CONTENT = seed_content()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many files")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--broken", type=float, default=0.1, help="share of broken files (0–1), default 0.1")
    parser.add_argument("--formats", type=parse_formats, default=tuple(DEFAULT_FORMATS.items()),
                        help="format weights, e.g. xlsx=0.7,text=0.3 (default: %(default)s)")
    parser.add_argument("--projects", type=float, default=0.4, help="share of project tables, default 0.4")
    parser.add_argument("--jobs", type=int, default=1, help="writer processes (the output is the same)")
    args = parser.parse_args(argv)
    options = Options(seed=args.seed, broken_share=args.broken, formats=args.formats, project_share=args.projects)
    rows = make_corpus(args.count, args.directory, options, jobs=args.jobs)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[f"{row['format']}/{row['kind']}"] = kinds.get(f"{row['format']}/{row['kind']}", 0) + 1
    print(f"wrote {len(rows)} files to {args.directory}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
