"""The 机构设置 table of the 情况说明: one row per unit, the ``units`` table.

Each unit's name, 行政/事业 type (单位性质), rank (单位规格) and funding form
(经费保障形式) are read from the columns the header row names, wherever they stand,
with the line the unit is printed on. :mod:`budgetlib.extract.metadata` also uses
the units to name a department.
"""
from __future__ import annotations

from budgetlib.read.rows import Row
from budgetlib.vocab.text import canon

#: 机构设置 header labels → column keys.

UNIT_COLUMNS = {"单位名称": "unit_name", "单位性质": "unit_type", "单位规格": "rank", "经费保障形式": "funding_form"}


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
