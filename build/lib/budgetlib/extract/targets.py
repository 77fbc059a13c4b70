"""预算项目绩效目标: the ``projects`` and ``indicators`` tables.

Each project is a prose title ``N、<项目>绩效目标表`` (or ``N.``) followed by table
rows: optionally 项目编码 / 项目名称, 预算规模及资金用途 (预算数, 其中：财政资金, then
the use of funds), 资金支出计划 (a row of quarters, then a row of shares), the
绩效目标 row (before or after the header), the header 一级指标 … 指标值确定依据,
and one row per indicator. Titles that end in dot leaders or a page number
belong to a table of contents and are skipped (they are also tab rows).

What page breaks and extraction tools do to these tables, and how it is undone:

* the header is repeated after a page break: skipped;
* a row cut by a page break continues after that repeated header with a blank
  一级指标 and a blank 指标值 (``服务对象满`` + ``意度指标``): its cells are glued
  to the row before, unless they only repeat its end (``…99号）`` + ``99号)``);
* a Word cell holding an empty line splits a row into short rows: they are
  joined until the row has the header's width;
* merged cells leave 一级/二级指标 blank: carried down from the row above;
* words wrapped inside a cell (``市级劳模登 记情况``) are closed up.

A target such as ``≥95%``, ``≤7.34 万元``, ``≤4500元.年``, ``4次`` or ``$\\geq 95\\%$``
is parsed into ``target_op`` (``>=``, ``<=``, ``=``, or null when the document
prints no operator), ``target_value`` and ``target_unit``; text targets such as
``效果明显`` keep only their text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from budgetlib.errors import ParseError
from budgetlib.vocab.money import is_blank, parse_amount
from budgetlib.read.rows import Cell, Row
from budgetlib.vocab.text import DEPT_LINE, STRAY_MARK, canon, strip_latex

# --------------------------------------------------------------------------- data

#: A project title ends with 绩效目标表: a contents line, ending in dot leaders or a page number, does not.
_TITLE = re.compile(r"^(\d{1,3})\s*[、.．]\s*(.+?)\s*绩效目标表\s*$")
_TITLE_WORD = "绩效目标表"  # a cheap test before the pattern

#: Indicator header labels → column keys.
INDICATOR_COLUMNS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "绩效指标描述": "description",
    "指标值": "target_text",
    "指标值确定依据": "basis",
}
#: First cells of the rows that describe the project rather than an indicator.
_CODE_ROW, _BUDGET_ROW, _PLAN_ROW, _GOAL_ROW = "项目编码", "预算规模及资金用途", "资金支出计划", "绩效目标"
_CLASSIFIED = "涉密"

TARGET_OPERATORS = {
    "≥": ">=", "≧": ">=", ">=": ">=", "不低于": ">=", "不少于": ">=", "大于等于": ">=",
    "≤": "<=", "≦": "<=", "<=": "<=", "不高于": "<=", "不超过": "<=", "小于等于": "<=",
    "=": "=", ">": ">", "<": "<",
}
TARGET_UNITS = {"百分比": "%"}
_OPS = "|".join(sorted((re.escape(o) for o in TARGET_OPERATORS), key=len, reverse=True))
_TARGET = re.compile(rf"^(?P<op>{_OPS})?(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d\s]{{0,8}})$")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_WS = re.compile(r"\s+")
_UNIT_LINE = re.compile(r"^单位[:：]")


# ------------------------------------------------------------------------ targets


@dataclass(frozen=True, slots=True)
class Target:
    op: str | None
    value: Decimal | None
    unit: str | None


@lru_cache(maxsize=4096)  # targets (≥95%, 100%, 效果明显 …) recur from project to project
def parse_target(text: str | None) -> Target:
    """``≥95%`` → (>=, 95, %); ``4次`` → (None, 4, 次); ``效果明显`` → (None, None, None)."""
    if not text:
        return Target(None, None, None)
    t = _WS.sub("", unicodedata.normalize("NFKC", strip_latex(text)))
    m = _TARGET.match(t)
    if not m:
        return Target(None, None, None)
    unit = m.group("unit") or None
    return Target(TARGET_OPERATORS.get(m.group("op") or ""), Decimal(m.group("num")), TARGET_UNITS.get(unit, unit))


# ----------------------------------------------------------------------- projects


def tidy(text: str | None, *, close_up: bool = True) -> str | None:
    """Cell text with runs of spaces collapsed and (``close_up``) words wrapped inside a cell joined."""
    if not text:
        return None
    text = " ".join(text.split())  # the same as _WS.sub(" ", text).strip(), faster
    if close_up and " " in text:
        text = _CJK_GAP.sub("", text)
    return text or None


@dataclass
class ProjectTable:
    """One 绩效目标表 as read so far: the project's fields and its indicator rows."""

    no: int
    name: str
    line: int
    code: str | None = None
    budget: Decimal | None = None
    budget_fiscal: Decimal | None = None
    purpose: str | None = None
    plan: str | None = None
    goal: str | None = None
    columns: dict[str, int] | None = None
    indicators: list[dict] = field(default_factory=list)
    #: What the next row is expected to be: "purpose", "plan" or None.
    expect: str | None = None
    plan_heads: list[str] = field(default_factory=list)
    after_repeated_header: bool = False
    pending: list[Cell] = field(default_factory=list)


def project_title(row: Row) -> tuple[int, str] | None:
    """``(number, name)`` when the row titles a project table, not a table-of-contents line."""
    if row.is_table:
        return None
    text = row.text.strip()
    if _TITLE_WORD not in text:
        return None
    m = _TITLE.match(text)
    if not m:
        return None
    return int(m.group(1)), _WS.sub(" ", m.group(2)).strip()


def read_projects(rows: list[Row], file: str) -> list[ProjectTable]:
    """Every project table of the document, in document order."""
    projects: list[ProjectTable] = []
    current: ProjectTable | None = None
    for row in rows:
        if not row.is_table and (title := project_title(row)) is not None:
            _flush(current, file)
            current = ProjectTable(title[0], title[1], row.line)
            projects.append(current)
        elif current is None:
            continue
        elif not row.is_table:
            text = row.text
            if DEPT_LINE.match(text) or _UNIT_LINE.match(canon(text)) or STRAY_MARK.match(text):
                continue
            _flush(current, file)
            current = None
        else:
            _project_row(current, row, file)
    _flush(current, file)
    return projects


def _next_value(texts: list[str], label: str) -> str | None:
    keys = [canon(t) for t in texts]
    if label not in keys:
        return None
    return next((t for t in texts[keys.index(label) + 1 :] if t.strip()), None)


def _amount(text: str | None, label: str, file: str, line: int) -> Decimal | None:
    if text is None or is_blank(text):
        return None
    value = parse_amount(text)
    if value is None:
        raise ParseError(f"绩效目标表的“{label}”应为金额，实为“{text}”", file=file, line=line)
    return value


def _project_row(p: ProjectTable, row: Row, file: str) -> None:
    texts = row.texts
    first = canon(texts[0]) if texts else ""
    if p.pending or (p.columns and first not in (_GOAL_ROW, "一级指标") and not first.startswith(_CODE_ROW)):
        _indicator_cells(p, list(row.cells), file)
        return
    if not any(t.strip() for t in texts):
        return
    if first == _CODE_ROW:
        code = _next_value(texts, _CODE_ROW)
        p.code = _WS.sub("", code) if code else None
    elif first.startswith(_BUDGET_ROW):
        p.budget = _amount(_next_value(texts, "预算数"), "预算数", file, row.line)
        p.budget_fiscal = _amount(_next_value(texts, "其中:财政资金"), "财政资金", file, row.line)
        p.expect = "purpose"
    elif first.startswith(_PLAN_ROW):
        p.plan_heads = [tidy(t) or "" for t in texts]
        p.expect = "plan"
    elif first == _GOAL_ROW:
        p.goal = tidy(" ".join(t for t in texts[1:] if t.strip()), close_up=False)
    elif first == "一级指标":
        p.after_repeated_header = p.columns is not None
        p.columns = _header(row, file)
    elif p.expect == "purpose" and not first:
        p.purpose = tidy(" ".join(t for t in texts if t.strip()), close_up=False)
        p.expect = None
    elif p.expect == "plan" and not first:
        p.plan = _plan(p.plan_heads, texts)
        p.expect = None
    else:
        raise ParseError(f"绩效目标表“{p.name}”中有无法识别的行：{'|'.join(texts)}", file=file, line=row.line)


def _header(row: Row, file: str) -> dict[str, int]:
    keys = [canon(t) for t in row.texts]
    missing = [label for label in INDICATOR_COLUMNS if label not in keys]
    if missing:
        raise ParseError(f"绩效指标表头缺少：{'、'.join(missing)}", file=file, line=row.line)
    return {key: keys.index(label) for label, key in INDICATOR_COLUMNS.items()}


def _plan(heads: list[str], values: list[str]) -> str | None:
    """资金支出计划 as text: each printed share under the nearest quarter heading to its left."""
    parts = []
    for pos, value in enumerate(values):
        if not value.strip() or pos == 0:
            continue
        head = next((heads[i] for i in range(min(pos, len(heads) - 1), 0, -1) if heads[i]), "")
        parts.append(f"{head} {value.strip()}".strip())
    return "；".join(parts) or None


def _indicator_cells(p: ProjectTable, cells: list[Cell], file: str) -> None:
    """Collect cells until a row as wide as the header is complete, then read it."""
    width = max(p.columns.values()) + 1
    p.pending += cells
    if len(p.pending) < width:
        return
    cells, p.pending = p.pending, []
    texts = [c.text for c in cells] + [""] * width
    record = {key: tidy(texts[pos]) for key, pos in p.columns.items()}
    if not any(record.values()):
        return
    previous = p.indicators[-1] if p.indicators else None
    continued = previous and not record["level1"] and not record["target_text"]
    if continued and (p.after_repeated_header or not (record["level2"] or record["level3"])):
        _glue(previous, record)
    else:
        if previous:
            record["level1"] = record["level1"] or previous["level1"]
            record["level2"] = record["level2"] or previous["level2"]
        if not record["level1"]:
            raise ParseError(f"绩效目标表“{p.name}”的首个指标缺少一级指标", file=file, line=cells[0].line)
        target_cell = cells[p.columns["target_text"]] if p.columns["target_text"] < len(cells) else None
        record["source_line"] = target_cell.line if target_cell and target_cell.text else cells[0].line
        p.indicators.append(record)
    p.after_repeated_header = False


def _glue(previous: dict, fragment: dict) -> None:
    """Join the rest of a row cut by a page break to the row it belongs to."""
    for key, text in fragment.items():
        if not text:
            continue
        before = previous.get(key) or ""
        if not canon(before).endswith(canon(text)):
            previous[key] = tidy(before + text)


def _flush(p: ProjectTable | None, file: str) -> None:
    if p is not None and p.pending:
        _indicator_cells(p, [Cell("", p.pending[-1].line)] * (max(p.columns.values()) + 1 - len(p.pending)), file)


def is_classified(p: ProjectTable) -> bool:
    """涉密 in the name, a goal that only says 涉密, or indicators printed as 涉密."""
    goal = re.sub(r"[\d.、\s]", "", p.goal or "")
    return (
        _CLASSIFIED in p.name
        or (bool(goal) and not goal.replace(_CLASSIFIED, ""))
        or any(canon(i["target_text"] or "") == _CLASSIFIED for i in p.indicators)
    )


# ---------------------------------------------------------------------- extractor


def performance_targets(ctx) -> dict[str, list[dict]]:
    """Extractor: the projects of 预算项目绩效目标 and their indicators."""
    projects, indicators = [], []
    for p in read_projects(ctx.rows, ctx.source_file):
        projects.append(
            {
                "doc_id": ctx.doc_id,
                "project_no": p.no,
                "project_name": p.name,
                "project_code": p.code,
                "budget": p.budget,
                "budget_fiscal": p.budget_fiscal,
                "purpose": p.purpose,
                "spending_plan": p.plan,
                "goal": p.goal,
                "is_classified": is_classified(p),
                "indicator_count": len(p.indicators),
                "source_line": p.line,
            }
        )
        for n, ind in enumerate(p.indicators, start=1):
            target = parse_target(ind["target_text"])
            indicators.append(
                {
                    "doc_id": ctx.doc_id,
                    "project_no": p.no,
                    "indicator_no": n,
                    **{k: ind[k] for k in INDICATOR_COLUMNS.values()},
                    "target_op": target.op,
                    "target_value": target.value,
                    "target_unit": target.unit,
                    "source_line": ind["source_line"],
                }
            )
    return {"projects": projects, "indicators": indicators}
