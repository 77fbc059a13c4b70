"""Document metadata: department, region, fiscal year, kind, level and unit, each with where it was read.

Every value is taken from the most trustworthy place that states it, and the place
is recorded (``documents.department_source``/``department_line``,
``fiscal_year_source``/``fiscal_year_line``), so an auditor can check it:

department
    ``table_header``: the 部门：/编制部门：/预算单位：… line above the tables (the
    name most tables print, so one header cut by a line break does not win);
    ``code_line``: a department line with its code (``715 秦皇岛…总工会``);
    ``cover``: the organisation named with the title on the first pages
    (``江苏省人大常委会办公厅 2017年度部门预算``); ``units_table``: the first unit of
    机构设置 when the header only names a system (工会部门); ``file_name``: the last
    resort. A candidate that is a number, a fragment of prose or a figure
    (``.8万元，增长``) is never a department name.
fiscal year
    ``table_header`` (预算年度：), ``title`` (a table title or the cover's
    ``2025年度部门预算``), ``file_name`` (last resort).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from budgetlib.extract.recognise import _META, TableBlock
from budgetlib.extract.units import unit_rows
from budgetlib.read.rows import Row
from budgetlib.vocab.text import canon

_DEPT_LINE = re.compile(r"^(\d{3,})\s*([^\d\s年].*)$")
#: The labels that introduce a department's name in table headers and on covers.
_NAME_LABELS = ("编制部门", "部门名称", "预算单位", "单位名称", "预算主管部门", "主管部门", "部门")
_DEPT_NAMED = re.compile(rf"^(?:{'|'.join(_NAME_LABELS)})[:：]\s*(.*)$")
#: What may follow the name on the same header line (单位：万元, 预算年度：2025 …).
_AFTER_NAME = re.compile(r"(?:金额)?单位[:：].*$|(?:预算|决算)年度[:：].*$")
#: An organisation name: Chinese characters (and brackets), ending as organisations do.
_ORG_NAME = re.compile(
    r"^[\u4e00-\u9fff（）()]{3,40}(?:局|委员会|院|厅|室|办公室|会|部|中心|处|所|馆|站|队|委|府|政府|办|组|社|联|团|校|园|台)$"
)
#: Anything that shows a candidate is prose or a figure, never a name.
_NOT_A_NAME = re.compile(r"[\d,，。；;：:、%％.]|万元|亿元|元$|预算|决算|公开|目录|单位：")
_YEAR_TITLE = re.compile(r"(20\d{2})\s*年\s*(?:度\s*)?(?:[省市区县]级\s*)?(?:部门|单位)\s*(预算|决算)")
#: The name printed on the same line as the cover title: ``江苏省政协办公厅 2017 年度部门预算``.
_NAME_BEFORE_TITLE = re.compile(r"^(.+?)\s*20\d{2}\s*年\s*度?\s*(?:部门|单位)")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年")
_FILE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
#: A region: one to three administrative levels (上海市普陀区, 江苏省, 秦皇岛经济技术开发区).
_REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:.{2,12}?(?:自治县|自治州|自治区|开发区|新区|省|县|区|市|旗|盟|州)){1,3})"
)
_GENERIC_NAME = re.compile(r"部门$")
_OWN_UNIT = re.compile(r"[（(]?本级[）)]?$")
#: Titles and covers of a unit's own budget (单位预算) rather than a department's.
_UNIT_LEVEL = re.compile(r"^(?:20\d{2}\s*年度?)?\s*(?:预算单位|单位预算|单位决算|单位)")
#: Rows read as the cover: before the table of contents, or the first rows.
_COVER_ROWS = 40


@dataclass(frozen=True, slots=True)
class Found:
    """A metadata value and where it was read (``line`` is None when it came from the file name)."""

    value: object
    source: str | None = None
    line: int | None = None


NOT_FOUND = Found(None)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    department_code: str | None
    department_name: str | None
    region: str | None
    fiscal_year: int | None
    doc_kind: str | None
    source_unit: str | None
    level: str | None
    department_source: str | None
    department_line: int | None
    fiscal_year_source: str | None
    fiscal_year_line: int | None


def is_department_name(text: str | None) -> bool:
    """Whether ``text`` can be a department's name (not a number, a figure or a piece of prose)."""
    if not text:
        return False
    text = canon(text)
    return 2 <= len(text) <= 40 and not _NOT_A_NAME.search(text) and sum("\u4e00" <= c <= "\u9fff" for c in text) >= 2


def looks_like_organisation(text: str) -> bool:
    """Whether ``text`` ends as an organisation's name does (…局, …委员会, …办公厅, …总工会)."""
    return bool(_ORG_NAME.match(canon(text)))


def region_of(name: str | None) -> str | None:
    if not name:
        return None
    m = _REGION.match(name)
    return m.group(1) if m else None


def _header_names(blocks: list[TableBlock]) -> list[Found]:
    """Names the table headers print after 部门：/编制部门：…, one per table."""
    found = []
    for block in blocks:
        texts = list(block.preamble)
        for i, text in enumerate(texts):
            if not (m := _DEPT_NAMED.match(canon(text))):
                continue
            name = _AFTER_NAME.sub("", m.group(1)).strip()
            if not name and i + 1 < len(texts) and not _META.search(canon(texts[i + 1])):
                name = canon(texts[i + 1])  # 部门： | 江苏省人大常委会办公厅 in cells of their own
            if is_department_name(name):
                found.append(Found(name, "table_header", block.preamble_lines.get(text, block.title_line)))
                break
    return found


def _code_line(blocks: list[TableBlock], rows: list[Row]) -> tuple[str, Found] | None:
    """A department line with its code (``715 秦皇岛经济技术开发区总工会``): in a table header, else
    in ``rows`` (above a project table in documents without standard tables)."""
    for block in blocks:
        for text in block.preamble:
            if not _META.search(canon(text)) and (m := _DEPT_LINE.match(text)):
                return m.group(1), Found(_OWN_UNIT.sub("", m.group(2).strip()), "code_line", block.preamble_lines.get(text))
    for row in rows:
        if not row.is_table and (m := _DEPT_LINE.match(row.text)) and not _META.search(canon(row.text)):
            if len(m.group(1)) <= 8:
                return m.group(1), Found(_OWN_UNIT.sub("", m.group(2).strip()), "code_line", row.line)
    return None


def _cover_rows(rows: list[Row]) -> list[Row]:
    prose = [row for row in rows[:_COVER_ROWS * 3] if not row.is_table][:_COVER_ROWS]
    end = next((i for i, row in enumerate(prose) if canon(row.text) == "目录"), len(prose))
    return prose[:end] or prose


def _cover_name(rows: list[Row]) -> Found:
    """The organisation named with the cover title, on its line or the line before it."""
    cover = _cover_rows(rows)
    for row in cover:
        text = canon(row.text)
        if text.startswith(("预算主管部门", "主管部门", "编制部门")) and (m := _DEPT_NAMED.match(text)):
            if is_department_name(name := _AFTER_NAME.sub("", m.group(1))):
                return Found(name, "cover", row.line)
    for before, row, after in zip([None, *cover], cover, [*cover[1:], None]):
        # A cover title may wrap: 江苏省政协办公厅 2018 年度 | 部门预算公开.
        title = row.text if _YEAR_TITLE.search(row.text) else f"{row.text}{after.text if after else ''}"
        if not _YEAR_TITLE.search(title):
            continue
        if (m := _NAME_BEFORE_TITLE.match(canon(title))) and is_department_name(m.group(1)):
            return Found(m.group(1), "cover", row.line)
        if before is not None and _ORG_NAME.match(canon(before.text)):
            return Found(canon(before.text), "cover", before.line)
    return NOT_FOUND


def _file_stem(source_file: str) -> str:
    return PurePosixPath(source_file.replace("\\", "/")).stem


def _file_name(source_file: str) -> Found:
    """The department in the file's own name (``江苏省政协办公厅2019年度部门预算.pdf``), the last resort."""
    stem = canon(_file_stem(source_file))
    m = _FILE_YEAR.search(stem)
    name = stem[: m.start()] if m else ""
    return Found(name, "file_name") if is_department_name(name) and _ORG_NAME.match(name) else NOT_FOUND


def _department(blocks: list[TableBlock], rows: list[Row], source_file: str) -> tuple[str | None, Found]:
    code, found = None, NOT_FOUND
    headers = _header_names(blocks)
    if coded := _code_line(blocks, rows if not headers else []):
        code, found = coded
    elif headers:
        # The name most tables print: one header cut by a line break (江苏省人大 | 常委会办公厅) loses.
        value = Counter(f.value for f in headers).most_common(1)[0][0]
        found = next(f for f in headers if f.value == value)
    found = found if found.value else _cover_name(rows)
    found = found if found.value else _file_name(source_file)
    if found.value and _GENERIC_NAME.search(found.value):
        # The header only names the system (工会部门): take the department from
        # the first unit of 机构设置, minus the generic prefix and 本级.
        units = unit_rows(rows)
        if units:
            specific = _OWN_UNIT.sub("", units[0]["unit_name"].removeprefix(found.value)).strip()
            if specific:
                found = Found(specific, "units_table", units[0]["source_line"])
    return code, found


def _fiscal_year(blocks: list[TableBlock], rows: list[Row], source_file: str) -> Found:
    for block in blocks:
        if block.year:
            return Found(block.year, "table_header" if not _TITLE_YEAR.search(canon(block.title)) else "title", block.title_line)
    for row in rows:
        if not row.is_table and (m := _YEAR_TITLE.search(row.text)):
            return Found(int(m.group(1)), "title", row.line)
    if m := _FILE_YEAR.search(_file_stem(source_file)):
        return Found(int(m.group(1)), "file_name")
    return NOT_FOUND


def _kind(blocks: list[TableBlock], rows: list[Row]) -> str | None:
    """``budget``, ``final_accounts`` (决算) or ``performance`` (绩效目标表 only)."""
    if blocks:
        return "final_accounts" if any("决算" in b.title for b in blocks) else "budget"
    if any("绩效目标表" in row.text for row in rows):
        return "performance"
    for row in rows:
        if not row.is_table and (m := _YEAR_TITLE.search(row.text)):
            return "final_accounts" if m.group(2) == "决算" else "budget"
    return None


def _level(blocks: list[TableBlock], rows: list[Row]) -> str:
    """``unit`` for a unit's own budget (单位预算: 预算单位财务收支预算总表 …), else ``department``."""
    titles = [canon(b.title) for b in blocks] or [canon(r.text) for r in _cover_rows(rows) if _YEAR_TITLE.search(r.text)]
    return "unit" if titles and all(_UNIT_LEVEL.match(t) for t in titles) else "department"


def document_metadata(rows: list[Row], blocks: list[TableBlock], source_file: str = "") -> DocumentMeta:
    code, name = _department(blocks, rows, source_file)
    year = _fiscal_year(blocks, rows, source_file)
    # The unit most of the tables print (Shanghai prints 元, its 三公 table 万元);
    # document_tables.unit has each table's own.
    units = [b.unit or "万元" for b in blocks]
    unit = max(dict.fromkeys(units), key=units.count) if units else None
    return DocumentMeta(
        code, name.value, region_of(name.value), year.value, _kind(blocks, rows), unit,
        _level(blocks, rows) if blocks or rows else None, name.source, name.line, year.source, year.line,
    )
