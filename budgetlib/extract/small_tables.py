"""The small tables of the 情况说明 (procurement, fixed assets), and the extractor of its smaller parts.

* ``procurement`` — the 部门政府采购预算 table, one row per printed row (合计,
  小计 and items), money in 万元 whatever the table's 单位.
* ``assets`` — the 部门固定资产占用情况表, stitched across page breaks; rows whose
  数量 and 价值 are both blank are absent, as everywhere in the contract.

Column layouts and titles are declared as data in :mod:`budgetlib.vocab.small_tables`
(the checks name the tables and columns from there too); a table whose header does
not carry the declared labels raises :class:`ParseError` naming file and line.
:func:`sections` gathers these with ``units`` (:mod:`budgetlib.extract.units`) and
``goals`` (:mod:`budgetlib.extract.goals`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from budgetlib.errors import ParseError
from budgetlib.extract.goals import goal_rows
from budgetlib.extract.units import unit_rows
from budgetlib.vocab.labels import SMALL_TABLE_TOTALS, is_subtotal
from budgetlib.vocab.small_tables import ASSETS, PROCUREMENT, TableLayout
from budgetlib.vocab.money import is_blank, parse_amount, to_wan
from budgetlib.read.rows import Row
from budgetlib.vocab.text import DEPT_LINE, STRAY_MARK, UNIT_NOTE, canon


# --------------------------------------------------------------------------- data


_AS_OF = re.compile(r"截止(?:时间|日期)?[:：]\s*(\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?)")


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


def _records(rows: list[Row], layout: TableLayout, file: str) -> Iterator[tuple[_SmallTable, Row, dict]]:
    """Every data row of every printing of one small table, typed: (table, row, record)."""
    for start in _find_titles(rows, layout.titles):
        table = _read_small_table(rows, start, layout, file)
        for row in table.data:
            yield table, row, _typed(layout, row, table.unit, file)


def _row_kind(name: str) -> str:
    """合计 (总计), 小计 or an item, by the printed name of a procurement row."""
    return "total" if name in SMALL_TABLE_TOTALS else "subtotal" if is_subtotal(name) else "item"


def procurement_rows(rows: list[Row], file: str) -> list[dict]:
    """Rows of the 政府采购预算 table (合计, 小计 and items) with amounts in 万元."""
    out: list[dict] = []
    for table, row, record in _records(rows, PROCUREMENT, file):
        kind = _row_kind(canon(record["project_name"] or ""))
        out.append({"row_no": len(out) + 1, "row_kind": kind, **record, "unit": table.unit, "source_line": row.line})
    return out


def asset_rows(rows: list[Row], file: str) -> list[dict]:
    """Rows of the 固定资产占用情况表 with a printed 数量 or 价值, across page breaks."""
    out: list[dict] = []
    for table, row, record in _records(rows, ASSETS, file):
        if record["quantity"] is None and record["value"] is None:
            continue
        is_total = canon(record["item"] or "") in SMALL_TABLE_TOTALS
        out.append({"row_no": len(out) + 1, **record, "is_total": is_total, "as_of": table.as_of, "source_line": row.line})
    return out


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
