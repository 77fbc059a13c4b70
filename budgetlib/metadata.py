"""Document metadata: department, region, fiscal year, kind and unit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .reader import Row
from .sections import unit_rows
from .tables import TableBlock, _META
from .text import canon

_DEPT_LINE = re.compile(r"^(\d{3,})\s*([^\d\s年].*)$")
_YEAR_TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度\s*)?部门\s*(预算|决算)")
_REGION = re.compile(r"^(?:中共|中国共产党)?(.+?(?:自治县|自治州|自治区|开发区|新区|县|区|市|旗|盟))")
_GENERIC_NAME = re.compile(r"部门$")
_OWN_UNIT = re.compile(r"[（(]?本级[）)]?$")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    department_code: str | None
    department_name: str | None
    region: str | None
    fiscal_year: int | None
    doc_kind: str | None
    source_unit: str | None


def _department_line(blocks: list[TableBlock], rows: list[Row]) -> str | None:
    for block in blocks:
        for text in block.preamble:
            if not _META.search(canon(text)) and _DEPT_LINE.match(text):
                return text
    # Documents without standard tables: the unit line above a project table.
    for row in rows:
        if not row.is_table and (m := _DEPT_LINE.match(row.text)) and not _META.search(canon(row.text)):
            if len(m.group(1)) <= 8:
                return row.text
    return None


def _first_unit_name(rows: list[Row]) -> str | None:
    """First unit of the 机构设置 table (单位名称 | 单位性质 | …)."""
    units = unit_rows(rows)
    return units[0]["unit_name"] if units else None


def region_of(name: str | None) -> str | None:
    if not name:
        return None
    m = _REGION.match(name)
    return m.group(1) if m else None


def document_metadata(rows: list[Row], blocks: list[TableBlock]) -> DocumentMeta:
    code = name = None
    if line := _department_line(blocks, rows):
        m = _DEPT_LINE.match(line)
        code, name = m.group(1), _OWN_UNIT.sub("", m.group(2).strip())
    if name and _GENERIC_NAME.search(name):
        # The header only names the system (工会部门): take the department from
        # the first unit of 机构设置, minus the generic prefix and 本级.
        unit = _first_unit_name(rows)
        if unit:
            specific = _OWN_UNIT.sub("", unit.removeprefix(name)).strip()
            name = specific or name
    year = next((b.year for b in blocks if b.year), None)
    kind = None
    for row in rows:
        if not row.is_table and (m := _YEAR_TITLE.search(row.text)):
            year = year or int(m.group(1))
            kind = kind or ("final_accounts" if m.group(2) == "决算" else "budget")
            break
    if blocks:
        kind = "final_accounts" if any("决算" in b.title for b in blocks) else "budget"
    elif any("绩效目标表" in row.text for row in rows):
        kind = "performance"
    units = {b.unit for b in blocks if b.unit}
    unit = units.pop() if len(units) == 1 else ("混合" if units else None)
    return DocumentMeta(code, name, region_of(name), year, kind, unit)
