"""The smaller parts of the 情况说明: units, procurement, fixed assets and 第一部分 goals.

* ``units`` — the 机构设置 table (单位名称 | 单位性质 | 单位规格 | 经费保障形式).
* ``procurement`` — the 部门政府采购预算 table, one row per printed row (合计,
  小计 and items), money in 万元 whatever the table's 单位.
* ``assets`` — the 部门固定资产占用情况表, stitched across page breaks; rows whose
  数量 and 价值 are both blank are absent, as everywhere in the contract.
* ``goals`` — 第一部分 部门整体绩效目标: the overall goal, then one row per item
  of 分项绩效目标 (per 绩效目标 / 绩效指标 pair where the item lists several).

Column layouts and titles are declared as data below; a table whose header does
not carry the declared labels raises :class:`ParseError` naming file and line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from budgetlib.errors import ParseError
from budgetlib.vocab.money import is_blank, parse_amount, to_wan
from budgetlib.read.rows import Row
from budgetlib.vocab.text import DEPT_LINE, STRAY_MARK, UNIT_NOTE, canon

# --------------------------------------------------------------------------- data

#: 机构设置 header labels → column keys.
UNIT_COLUMNS = {"单位名称": "unit_name", "单位性质": "unit_type", "单位规格": "rank", "经费保障形式": "funding_form"}


@dataclass(frozen=True, slots=True)
class TableLayout:
    """A small table of the 情况说明: its name, titles and columns in printed order."""

    name: str
    titles: tuple[str, ...]
    #: (key, header label, kind) per printed column; kind is "text", "money" or "number".
    columns: tuple[tuple[str, str, str], ...]


PROCUREMENT = TableLayout(
    name="政府采购预算表",
    titles=("部门政府采购预算", "部门政府采购预算表", "政府采购预算表", "政府采购支出预算表"),
    columns=(
        ("project_name", "项目名称", "text"),
        ("project_budget", "预算资金", "money"),
        ("item_name", "采购物品名称", "text"),
        ("catalog_code", "政府采购目录序号", "text"),
        ("measure_unit", "计量单位", "text"),
        ("quantity", "数量", "number"),
        ("unit_price", "单价", "money"),
        ("total", "合计", "money"),
        ("gpb", "一般公共预算拨款", "money"),
        ("gov_fund", "基金预算拨款", "money"),
        ("soe_capital", "国有资本经营预算拨款", "money"),
        ("fiscal_special", "财政专户核拨", "money"),
        ("unit_funds", "单位资金", "money"),
        ("fiscal_carryover", "财政拨款结转", "money"),
        ("non_fiscal_carryover", "非财政拨款结转结余", "money"),
        ("sme_reserved", "预留中小微企业份额", "money"),
    ),
)

ASSETS = TableLayout(
    name="固定资产占用情况表",
    titles=("部门固定资产占用情况表", "固定资产占用情况表", "部门国有资产占用情况表"),
    columns=(("item", "项目", "text"), ("quantity", "数量", "number"), ("value", "价值", "money")),
)

_TOTAL_ITEMS = {"合计", "总计", "资产总额"}
_AS_OF = re.compile(r"截止(?:时间|日期)?[:：]\s*(\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?)")

#: 第一部分 headings: overall goal, item goals, and what ends them.
_GOAL_OVERALL = re.compile(r"^[（(【{\[]?[一二1-9]?[）)】}\]、.．]?\s*(部门)?(年度)?总体绩效目标[:：]?$")
_GOAL_ITEMS = re.compile(r"^[（(【{\[]?[一二三1-9]?[）)】}\]、.．]?\s*分项绩效目标[:：]?$")
_GOAL_END = re.compile(r"工作保障措施|专项资金绩效目标|预算项目绩效目标|^[一二三四五六七八九十]+、\s*政府采购")
_GOAL_FURNITURE = re.compile(r"^(第[一二三四五]部分)?\s*(部门整体绩效目标)?$")
_GOAL_LINE = re.compile(r"^(?:\d+\s*[、.．]\s*)?绩效目标\s*[:：]\s*(.*)$")
_INDICATOR_LINE = re.compile(r"^(?:\d+\s*[、.．]\s*)?绩效指标\s*[:：]\s*(.*)$")
_ITEM_NUMBER = re.compile(r"^\s*(?:[（(【{\[]\s*[一二三四五六七八九十\d]+\s*[）)】}\]]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])\s*")
_CLOSING = "。；;！!？?：:"


# -------------------------------------------------------------------------- units


def unit_rows(rows: list[Row]) -> list[dict]:
    """Rows of the 机构设置 table: unit name, 行政/事业, rank and funding form, with their line."""
    out: list[dict] = []
    i = 0
    while i < len(rows):
        positions = _unit_header(rows[i])
        i += 1
        if positions is None:
            continue
        while i < len(rows) and rows[i].is_table:
            row = rows[i]
            i += 1
            if _unit_header(row) is not None or not any(row.texts):
                continue
            cells = row.texts + [""] * len(UNIT_COLUMNS)
            record = {key: (cells[pos] or None) for key, pos in positions.items()}
            if record.get("unit_name"):
                out.append({**record, "source_line": row.line})
    return out


def _unit_header(row: Row) -> dict[str, int] | None:
    if not row.is_table or canon(row.texts[0]) != "单位名称":
        return None
    texts = [canon(t) for t in row.texts]
    return {key: texts.index(label) for label, key in UNIT_COLUMNS.items() if label in texts}


# ------------------------------------------------------------------- small tables


def _find_titles(rows: list[Row], titles: tuple[str, ...]) -> Iterator[int]:
    wanted = {canon(t) for t in titles}
    for i, row in enumerate(rows):
        if not row.is_table and canon(row.text) in wanted:
            yield i


def _is_preamble(row: Row) -> bool:
    return any(DEPT_LINE.match(t) or UNIT_NOTE.search(canon(t)) or _AS_OF.search(canon(t)) for t in row.texts if t)


def _header_labels(layout: TableLayout, row: Row) -> int:
    text = "".join(canon(t) for t in row.texts)
    return sum(1 for _, label, _ in layout.columns if canon(label) in text)


@dataclass
class _SmallTable:
    title_line: int
    unit: str = "万元"
    as_of: str | None = None
    header_text: str = ""
    header_line: int | None = None
    data: list[Row] = field(default_factory=list)


def _read_small_table(rows: list[Row], start: int, layout: TableLayout, file: str) -> _SmallTable:
    """Preamble, header rows and data rows of one small table, page furniture skipped."""
    table = _SmallTable(rows[start].line)
    header_rows: list[str] = []
    for row in rows[start + 1 :]:
        if row.is_table and _header_labels(layout, row) >= min(3, len(layout.columns)):
            key = "|".join(canon(t) for t in row.texts)
            if key not in header_rows:
                header_rows.append(key)
                table.header_text += "".join(canon(t) for t in row.texts)
                table.header_line = table.header_line or row.line
            if m := UNIT_NOTE.search(canon(row.text)):
                table.unit = m.group(1)
            continue
        if _is_preamble(row):
            for t in row.texts:
                if m := UNIT_NOTE.search(canon(t)):
                    table.unit = m.group(1)
                if m := _AS_OF.search(canon(t)):
                    table.as_of = m.group(1)
            continue
        if not row.is_table:
            if STRAY_MARK.match(row.text):
                continue
            break
        if any(not is_blank(t) for t in row.texts[1:]):  # a label alone prints nothing
            table.data.append(row)
    if table.data and table.header_line is None:
        raise ParseError(f"“{layout.name}”缺少表头，无法对应各栏", file=file, line=table.data[0].line)
    missing = [label for _, label, _ in layout.columns if canon(label) not in table.header_text]
    if table.header_line is not None and missing:
        raise ParseError(
            f"“{layout.name}”的表头无法对应到已知栏目，缺少：{'、'.join(missing)}", file=file, line=table.header_line
        )
    return table


def _typed(layout: TableLayout, row: Row, unit: str, file: str) -> dict:
    if any(c.text for c in row.cells[len(layout.columns) :]):
        raise ParseError(f"“{layout.name}”的行栏数多于表头（{len(layout.columns)}栏）", file=file, line=row.line)
    cells = list(row.cells) + [None] * len(layout.columns)
    out: dict = {}
    for (key, label, kind), cell in zip(layout.columns, cells):
        text = cell.text if cell else ""
        if kind == "text" or is_blank(text):
            out[key] = (text.strip() or None) if kind == "text" else None
            continue
        number = parse_amount(text)
        if number is None:
            raise ParseError(f"“{layout.name}”的“{label}”应为数字，实为“{text}”", file=file, line=cell.line)
        out[key] = to_wan(number, unit) if kind == "money" else number
    return out


def procurement_rows(rows: list[Row], file: str) -> list[dict]:
    """Rows of the 政府采购预算 table (合计, 小计 and items) with amounts in 万元."""
    out: list[dict] = []
    for start in _find_titles(rows, PROCUREMENT.titles):
        table = _read_small_table(rows, start, PROCUREMENT, file)
        for row in table.data:
            record = _typed(PROCUREMENT, row, table.unit, file)
            name = canon(record["project_name"] or "")
            kind = "total" if name in _TOTAL_ITEMS else "subtotal" if name.endswith("小计") else "item"
            out.append({"row_no": len(out) + 1, "row_kind": kind, **record, "unit": table.unit, "source_line": row.line})
    return out


def asset_rows(rows: list[Row], file: str) -> list[dict]:
    """Rows of the 固定资产占用情况表 with a printed 数量 or 价值, across page breaks."""
    out: list[dict] = []
    for start in _find_titles(rows, ASSETS.titles):
        table = _read_small_table(rows, start, ASSETS, file)
        for row in table.data:
            record = _typed(ASSETS, row, table.unit, file)
            if record["quantity"] is None and record["value"] is None:
                continue
            out.append(
                {
                    "row_no": len(out) + 1,
                    **record,
                    "is_total": canon(record["item"] or "") in _TOTAL_ITEMS,
                    "as_of": table.as_of,
                    "source_line": row.line,
                }
            )
    return out


# -------------------------------------------------------------------------- goals


def goal_rows(rows: list[Row]) -> list[dict]:
    """第一部分 部门整体绩效目标: the overall goal and the goals of each item, as text."""
    state: str | None = None
    overall: list[tuple[str, int]] = []
    items: list[_GoalItem] = []
    for row in rows:
        text = row.text.strip()
        if row.is_table or not text or STRAY_MARK.match(text):
            continue
        key = canon(text)
        if _GOAL_OVERALL.match(key):
            state = "overall"
        elif _GOAL_ITEMS.match(key):
            state = "items"
        elif state and _GOAL_END.search(key) and len(key) < 40:
            state = None
        elif state == "overall" and not _GOAL_FURNITURE.match(key):
            overall.append((text, row.line))
        elif state == "items":
            _item_line(items, text, row.line)
    out = [_goal("overall", None, None, None, None, _join(overall), None, overall[0][1])] if overall else []
    for number, item in enumerate(items, start=1):
        pairs = item.pairs or [[None, None, item.line]]
        for sub_no, (goal, indicator, line) in enumerate(pairs, start=1):
            sub = sub_no if item.pairs else None
            out.append(_goal("item", number, sub, item.title, item.description, goal, indicator, line))
    return out


@dataclass
class _GoalItem:
    title: str
    description: str | None
    line: int
    #: [goal, indicator, line] per 绩效目标 / 绩效指标 pair.
    pairs: list[list] = field(default_factory=list)


def _item_line(items: list[_GoalItem], text: str, line: int) -> None:
    """Feed one line of 分项绩效目标 to the items read so far."""
    goal, indicator = _GOAL_LINE.match(text), _INDICATOR_LINE.match(text)
    item = items[-1] if items else None
    if item and goal:
        item.pairs.append([goal.group(1).strip() or None, None, line])
    elif item and indicator:
        if item.pairs and item.pairs[-1][1] is None:
            item.pairs[-1][1] = indicator.group(1).strip() or None
        else:
            item.pairs.append([None, indicator.group(1).strip() or None, line])
    elif item and not item.pairs and not _ITEM_NUMBER.match(text):
        item.description = (item.description or "") + text
    elif not goal and not indicator:
        title, _, rest = _ITEM_NUMBER.sub("", text).strip().partition("。")
        items.append(_GoalItem(title.strip(), rest.strip() or None, line))


def _goal(kind, item_no, sub_no, title, description, goal, indicator, line) -> dict:
    return {
        "kind": kind,
        "item_no": item_no,
        "sub_no": sub_no,
        "item_title": title,
        "description": description,
        "goal": goal,
        "indicator": indicator,
        "source_line": line,
    }


def _join(lines: list[tuple[str, int]]) -> str:
    """Lines of one text: a line cut by a page break continues the line before it."""
    text = ""
    for line, _ in lines:
        if text and text[-1] not in _CLOSING and len(text.rsplit("\n", 1)[-1]) >= 20:
            text += line
        else:
            text += ("\n" if text else "") + line
    return text


# ---------------------------------------------------------------------- extractor


def sections(ctx) -> dict[str, list[dict]]:
    """Extractor: units, procurement, assets and 第一部分 goals of one document."""
    doc = {"doc_id": ctx.doc_id}
    units = [{**doc, "unit_no": n, **u} for n, u in enumerate(unit_rows(ctx.rows), start=1)]
    return {
        "units": units,
        "procurement": [{**doc, **r} for r in procurement_rows(ctx.rows, ctx.source_file)],
        "assets": [{**doc, **r} for r in asset_rows(ctx.rows, ctx.source_file)],
        "goals": [{**doc, **r} for r in goal_rows(ctx.rows)],
    }
