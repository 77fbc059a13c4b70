"""Document metadata: department, region, fiscal year, kind and unit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetlib.read.rows import Row
from budgetlib.extract.units import unit_rows
from budgetlib.extract.recognise import TableBlock, _META
from budgetlib.vocab.text import canon

_DEPT_LINE = re.compile(r"^(\d{3,})\s*([^\d\s年].*)$")
#: A department named without a code: ``编制部门：…`` (Shanghai), ``部门名称：…`` (Jiangsu), cover pages.
_DEPT_NAMED = re.compile(r"^(?:编制部门|部门名称|部门|单位名称|预算主管部门|主管部门)[:：]\s*([^\d\s:：].{1,40})$")
#: An organisation name standing alone above the cover title (上海市普陀区财政局 / 2024年度部门决算).
_ORG_NAME = re.compile(r"^[^\d\s:：，。；、]{3,30}(?:局|委员会|院|厅|室|办公室|会|部|中心|处|所|馆|站|队|委|府|政府)$")
_YEAR_TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度\s*)?(?:[省市区县]级\s*)?部门\s*(预算|决算)")
#: A region: one to three administrative levels (上海市普陀区, 江苏省, 秦皇岛经济技术开发区).
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:.{2,12}?(?:自治县|自治州|自治区|开发区|新区|省|县|区|市|旗|盟|州)){1,3})"
)
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
    if any(_named_department(text) for block in blocks for text in block.preamble):
        return None
    # Documents without standard tables: the unit line above a project table.
    for row in rows:
        if not row.is_table and (m := _DEPT_LINE.match(row.text)) and not _META.search(canon(row.text)):
            if len(m.group(1)) <= 8:
                return row.text
    return None


def _named_department(text: str) -> str | None:
    m = _DEPT_NAMED.match(canon(text))
    return m.group(1) if m else None


def _department_name(blocks: list[TableBlock], rows: list[Row]) -> str | None:
    """A department printed by name only: in a table preamble, else on the cover."""
    for block in blocks:
        for text in block.preamble:
            if name := _named_department(text):
                return name
    prose = [row for row in rows[:80] if not row.is_table]
    for row in prose:
        if canon(row.text).startswith(("预算主管部门", "主管部门")) and (name := _named_department(row.text)):
            return name
    for before, row in zip(prose, prose[1:]):
        if _YEAR_TITLE.search(row.text) and _ORG_NAME.match(canon(before.text)):
            return canon(before.text)
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
    else:
        name = _department_name(blocks, rows)
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
    # The unit most of the tables print (Shanghai prints 元, its 三公 table 万元);
    # document_tables.unit has each table's own.
    units = [b.unit or "万元" for b in blocks]
    unit = max(dict.fromkeys(units), key=units.count) if units else None
    return DocumentMeta(code, name, region_of(name), year, kind, unit)
