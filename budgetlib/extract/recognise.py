"""Recognise the standard tables in a document's rows and tidy them into line items.

A table starts at a prose row whose text is one of the declared titles
(:mod:`budgetlib.vocab.tables`). Its preamble (department line, 预算年度, 单位) and
header rows run up to the ``栏次`` row, which numbers the columns. Data rows
start with their 序号. Page furniture repeated after a page break (department
line, unit, header rows, 栏次) is skipped, so a table split across pages is
stitched back together; any other prose ends the table.

Tables that print no 栏次 (Shanghai, Jiangsu, 决算) are recognised by their
header text instead, when a row that looks like data comes before any 栏次
row: see :mod:`budgetlib.extract.headers`.

Failure is per table: a table found by its title whose columns or rows cannot be
mapped (:class:`~budgetlib.errors.TableError`) is kept with ``status = "unmapped"``
and the reason, and the search goes on at the next title. Titles are matched with
their numbering, year and owner dropped (:func:`budgetlib.vocab.tables.title_key`);
a title among other titles (the 目录) is not a table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from budgetlib.errors import ParseError, TableError
from budgetlib.vocab.money import UNIT_TO_WAN, is_blank, parse_amount, to_wan
from budgetlib.read.rows import Cell, Row, box_columns
from budgetlib.extract.headers import (
    choose_layout,
    header_stacks,
    is_data_like,
    is_note,
    is_note_row,
    join_runs,
    normalize,
    starts_rows,
    vocabulary_layout,
    split_code_runs,
)
from budgetlib.vocab.labels import DATA_START_TOTALS, GRAND, SUBTOTAL, TOTAL
from budgetlib.vocab.sources import PAGE_LINES
from budgetlib.vocab.tables import TITLE_NUMBERING, Column, Layout, TableSpec, spec_for_title, specs_for_title
from budgetlib.vocab.text import UNIT_NOTE, canon

_META = re.compile(r"预算年度|决算年度|^单位[:：]|金额单位|截止时间|单位[:：](万元|元|千元|亿元)")
_YEAR = re.compile(r"(?:预算|决算)年度[:：]\s*(\d{4})")
_TITLE_YEAR = re.compile(rf"^{TITLE_NUMBERING}?(20\d{{2}})年")
#: Prose rows allowed between a title and the header of a table without 栏次.
_MAX_PREAMBLE = 6
_ROW_NO = re.compile(r"^\d{1,4}$")
#: Page numbers and stray text-box lines: "(", "2", ")", "- 3 -", "第 2 页", "2/16".
_NOISE = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|[()（）]|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)


@dataclass
class TableBlock:
    """One standard table as printed, stitched across pages."""

    spec: TableSpec
    title: str
    title_line: int
    columns: dict[int, Column] = field(default_factory=dict)
    data_rows: list[Row] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    #: The source line of each preamble text (where the department and year were read).
    preamble_lines: dict[str, int] = field(default_factory=dict)
    header_rows: list[Row] = field(default_factory=list)
    unit: str | None = None
    year: int | None = None
    note: str | None = None
    #: The declared layout the header matched (its scheme goes to ``document_tables.layout``).
    layout: Layout | None = None
    #: ``recognised`` (columns mapped), or ``unmapped`` (found by its title, but its columns or
    #: rows could not be mapped: ``reason`` says why, and the table gives no line items).
    #: ``document_tables.status`` adds ``empty``: recognised, and prints no figure.
    status: str = "recognised"
    reason: str | None = None


class LineItem(NamedTuple):
    table: str
    row_no: int
    col_no: int
    code: str | None
    item: str | None
    column: str
    value: Decimal
    source_line: int
    # Where the number is printed (PDF only; None for other formats): see budgetlib.read.rows.box_columns.
    page: int | None = None
    x0: float | None = None
    y0: float | None = None
    x1: float | None = None
    y1: float | None = None


def find_tables(rows: list[Row], file: str) -> list[TableBlock]:
    """Every standard table of the document, in document order."""
    blocks: list[TableBlock] = []
    seen: dict[str, int] = {}
    prefer: str | None = None
    i = 0
    while i < len(rows):
        row = rows[i]
        specs = () if row.is_table else specs_for_title(row.text)
        if not specs and (joined := _split_title(rows, i)) is not None:
            rows, row = joined
            specs = specs_for_title(row.text)
        if not specs or _is_listing(rows, i):
            i += 1
            continue
        try:
            block, i = _read_block(rows, i, specs, file, prefer)
        except TableError as exc:
            # One table that cannot be mapped costs only itself: keep it, with the reason, and
            # read on from the next title.
            block = TableBlock(specs[0], row.text, row.line, status="unmapped", reason=exc.message)
            i = _next_title(rows, i + 1)
        spec = block.spec
        if block.layout is not None:
            prefer = block.layout.scheme
        if block.year is None and (m := _TITLE_YEAR.match(canon(block.title))):
            block.year = int(m.group(1))
        if spec.key in seen:
            first = blocks[seen[spec.key]]
            if first.status == "unmapped":
                blocks[seen[spec.key]] = block  # a copy that could be read replaces one that could not
                continue
            if block.status == "unmapped":
                continue
            if _continues(first, block, blocks):
                _append_rows(first, block)
                continue
            # Two readable copies: the first is kept, the second reported (not read).
            block = TableBlock(
                spec,
                block.title,
                block.title_line,
                status="unmapped",
                reason=f"“{spec.name}”出现两次（第{first.title_line}行和第{row.line}行），只读取第一张",
            )
        else:
            seen[spec.key] = len(blocks)
        blocks.append(block)
    return blocks


#: Rows either side of a title within which another title makes both entries of a list (目录).
_LISTING_REACH = 3


def _is_listing(rows: list[Row], i: int) -> bool:
    """A title in a list of titles (the 目录, or a heading list in the prose), not a table:
    another title stands within three rows of it, and no table row follows it before the
    next title."""
    for j in range(i + 1, len(rows)):
        if rows[j].is_table:
            return False
        if specs_for_title(rows[j].text):
            break
    for step in (-1, 1):
        j = i
        for _ in range(_LISTING_REACH):
            j += step
            if not 0 <= j < len(rows) or rows[j].is_table:
                break
            if specs_for_title(rows[j].text):
                return True
    return False


#: The most a title's last line may hold when a long title is broken over two lines ("…预算" / "表").
_TITLE_TAIL = 6


def _split_title(rows: list[Row], i: int) -> tuple[list[Row], Row] | None:
    """A title broken over two prose lines (``“三公”经费…支出预算`` / ``表``): the rows with the
    two joined into one title row, or None."""
    row = rows[i]
    if row.is_table or i + 1 >= len(rows):
        return None
    tail = rows[i + 1]
    if tail.is_table or not tail.text or len(canon(tail.text)) > _TITLE_TAIL or "表" not in tail.text:
        return None
    if specs_for_title(tail.text):
        return None  # a whole title under a label line (公开01表 / 收支预算总表): the title is its own
    joined = Row.of_texts([row.text + tail.text], row.line, False)
    if not specs_for_title(joined.text):
        return None
    return rows[:i] + [joined] + rows[i + 2 :], joined


def _continues(first: TableBlock, block: TableBlock, blocks: list[TableBlock]) -> bool:
    """A table whose title and header are printed again on the next page: the same title and
    columns, right after the first part (no other table between)."""
    return (
        blocks[-1] is first
        and canon(first.title) == canon(block.title)
        and first.columns.keys() == block.columns.keys()
        and [c.key for c in first.columns.values()] == [c.key for c in block.columns.values()]
    )


def _append_rows(first: TableBlock, block: TableBlock) -> None:
    """The rows of a continued table after those of its first part; rows numbered in printed
    order (no 序号) go on counting."""
    if first.layout is not None and not first.layout.lanci and not first.layout.transposed:
        offset = len(first.data_rows)
        block.data_rows = [
            Row((Cell(str(offset + int(canon(r.texts[0]))), r.line),) + tuple(r.cells[1:]), True) for r in block.data_rows
        ]
    first.data_rows.extend(block.data_rows)
    first.note = first.note or block.note


def _next_title(rows: list[Row], start: int) -> int:
    """The index of the next table title from ``start`` (the end when there is none)."""
    for i in range(start, len(rows)):
        if not rows[i].is_table and specs_for_title(rows[i].text):
            return i
    return len(rows)


def _has_lanci(rows: list[Row], start: int) -> bool:
    """True when a 栏次 row comes before any row that looks like data (and before the next title)."""
    for row in islice(rows, start + 1, None):
        if not row.is_table:
            if specs_for_title(row.text):
                return False  # no 栏次 and no figure: a table printed blank, read by its header
            continue
        if canon(row.texts[0]) == "栏次":
            return True
        if is_data_like(row):
            return False
    return False


def _read_block(
    rows: list[Row], start: int, specs: tuple[TableSpec, ...], file: str, prefer: str | None = None
) -> tuple[TableBlock, int]:
    if not _has_lanci(rows, start):
        return _read_header_block(rows, start, specs, file, prefer)
    spec = specs[0]
    title = rows[start]
    block = TableBlock(spec, title.text, title.line)
    i = start + 1
    # Preamble and header, up to the 栏次 row.
    while True:
        if i >= len(rows) or (not rows[i].is_table and spec_for_title(rows[i].text)):
            raise TableError(f"“{spec.name}”缺少“栏次”行，无法对应各栏", file=file, line=title.line)
        row = rows[i]
        i += 1
        first = canon(row.texts[0])
        if first == "栏次":
            block.layout, block.columns = _map_columns(spec, row, block.header_rows, file)
            break
        if _is_preamble(row):
            _note_preamble(block, row)
        else:
            block.header_rows.append(row)
    furniture = {_row_key(r) for r in block.header_rows} | {"栏次"}
    # Data rows, skipping page furniture repeated after page breaks.
    while i < len(rows):
        row = rows[i]
        if row.is_table and _ROW_NO.match(canon(row.texts[0])):
            _check_width(block, row, file)
            block.data_rows.append(row)
        elif _is_label_continuation(block, row):
            block.data_rows[-1] = _merge_rows(block.data_rows[-1], row)
        elif not row.is_table and spec_for_title(row.text):
            break
        elif _row_key(row) in furniture or canon(row.texts[0]) == "栏次" or (row.is_table and not _row_key(row)):
            pass
        elif not row.is_table and canon(row.text).startswith("注"):
            block.note = row.text
            i += 1
            break
        elif _is_meta(row) or (not row.is_table and row.text in block.preamble):
            _note_preamble(block, row)
        elif not row.is_table and _NOISE.match(row.text):
            pass
        else:
            break
        i += 1
    if i >= len(rows):
        _check_not_cut_off(block, rows[-1], file)
    return block, i


def _read_header_block(
    rows: list[Row], start: int, specs: tuple[TableSpec, ...], file: str, prefer: str | None
) -> tuple[TableBlock, int]:
    """A table without 栏次: header rows up to the first data-like row, columns by header text."""
    title = rows[start]
    i = start + 1
    preamble: list[Row] = []
    header: list[Row] = []
    at: list[int] = []  # index of each header row
    while i < len(rows):
        row = rows[i]
        if not row.is_table:
            if specs_for_title(row.text) or header or len(preamble) >= _MAX_PREAMBLE:
                break
            preamble.append(row)
        elif is_data_like(row):
            break
        elif _is_meta(row):
            preamble.append(row)
        elif _row_key(row):
            header.append(row)
            at.append(i)
        i += 1
    if not (i < len(rows) and rows[i].is_table and is_data_like(rows[i])):
        # No figure before the table ends: a table printed blank (a template, an empty table).
        # Its header ends where the rows start to be labelled (一、…, a code, 合计).
        first = next((k for k, r in enumerate(header) if k and starts_rows(r)), None)
        if first is not None:
            i = at[first]
            header = header[:first]
        if not header:
            raise TableError(
                f"“{specs[0].name}”的标题后没有找到表格（既无“栏次”行，也无表头和数据行）", file=file, line=title.line
            )
    if not header and i == len(rows) - 1:
        # A title, then one row and the end of the file: the document was cut off, not a table
        # printed some other way.
        raise ParseError(
            f"文件在“{specs[0].name}”中途结束（标题后只有一行），文件可能被截断，请重新获取完整文件",
            file=file,
            line=rows[-1].line,
        )
    runs = split_code_runs(header + rows[i : i + 1])
    stacks = header_stacks(header, runs)
    block = TableBlock(specs[0], title.text, title.line, header_rows=header)
    for row in preamble:
        _note_preamble(block, row)
    first_data = min(i, len(rows) - 1)
    furniture = {_row_key(r) for r in header}
    vocabulary = {canon(t) for r in header for t in r.texts if canon(t)}
    data: list[Row] = []
    while i < len(rows):
        row = rows[i]
        if row.is_table:
            key = _row_key(row)
            if not key or key in furniture or _is_repeated_header(row, vocabulary):
                pass
            elif is_note_row(row):
                block.note = row.text
                i += 1
                break
            elif data and _is_cut_label(data[-1], row):
                data[-1] = _merge_rows(data[-1], row)
            else:
                data.append(row)
        elif specs_for_title(row.text):
            break
        elif is_note(row.text):
            block.note = row.text
            i += 1
            break
        elif _is_meta(row) or row.text in block.preamble:
            _note_preamble(block, row)
        elif not _NOISE.match(row.text):
            break
        i += 1
    # A declared layout when one fits; else column by column from what the headers say, the
    # figures deciding a column the words leave in doubt.
    chosen = choose_layout(specs, stacks, prefer) or vocabulary_layout(specs, stacks, [join_runs(r, runs) for r in data])
    if chosen is None:
        printed = "、".join(f"第{n}栏“{t}”" for n, t in enumerate(stacks, start=1))
        raise TableError(
            f"“{specs[0].name}”的表头无法对应到已知栏目（共{len(stacks)}栏：{printed}），"
            "各栏也无法按表头文字逐一对应（budgetlib/vocab/concepts.py）；请在budgetlib/vocab/tables.py中为这种格式声明一个版式",
            file=file,
            line=(header[0] if header else rows[first_data]).line,
        )
    spec, layout = chosen
    block.spec, block.layout = spec, layout
    block.columns, block.data_rows = normalize(data, layout, runs, spec, file)
    _confirm_subject(block, file)
    return block, i


#: The first digit of a subject code by classification: 功能分类 2xx (201 一般公共服务支出 …),
#: 经济分类 3xx (部门经济分类 301 工资福利支出 …) or 5xx (政府预算经济分类).
_SUBJECT_DIGITS = {"function": ("2",), "economic": ("3", "5")}


def _confirm_subject(block: TableBlock, file: str) -> None:
    """The table's codes must be of the classification its title says (a 基本支出表 is by economic
    subject, a 支出表 by function subject): most codes of the other kind means the title
    was taken for the wrong table."""
    spec = block.spec
    code_col = next((c for c in block.columns.values() if c.kind == "code"), None)
    if spec.subject not in _SUBJECT_DIGITS or code_col is None:
        return
    position = sorted(block.columns).index(code_col.no) + 1
    codes = [r.texts[position] for r in block.data_rows if position < len(r.texts) and r.texts[position].isdigit()]
    if not codes:
        return
    other = "economic" if spec.subject == "function" else "function"
    if sum(c.startswith(_SUBJECT_DIGITS[other]) for c in codes) * 2 > len(codes):
        names = {"function": "功能分类", "economic": "经济分类"}
        raise TableError(
            f"“{spec.name}”应按{names[spec.subject]}科目列示，表中科目编码却多为{names[other]}（如{codes[0]}），与表名不符",
            file=file,
            line=block.data_rows[0].line,
        )


def _is_cut_label(prev: Row, row: Row) -> bool:
    """The end of a row label carried over a page break (``当年收入`` | ``小计``, ``八、社会保障和就``
    | ``业支出``): the first row of a new page holds one text and no figure, under a label of
    the row before that is not complete (no total word) and that it does not start anew
    (no ordinal, code or total of its own)."""
    if row.line // PAGE_LINES == prev.line // PAGE_LINES:
        return False
    filled = [(pos, canon(t)) for pos, t in enumerate(row.texts) if canon(t)]
    if len(filled) != 1:
        return False
    pos, text = filled[0]
    above = canon(prev.texts[pos]) if pos < len(prev.texts) else ""
    if not above or above.endswith((SUBTOTAL, TOTAL, GRAND)) or parse_amount(above) is not None:
        return False
    if text in (SUBTOTAL, TOTAL):
        return True
    return parse_amount(text) is None and not starts_rows(row) and text not in DATA_START_TOTALS


def _is_repeated_header(row: Row, vocabulary: set[str]) -> bool:
    """A header row repeated on a later page (its texts all header texts, no number, no total)."""
    texts = [canon(t) for t in row.texts if canon(t)]
    return bool(texts) and not is_data_like(row) and texts[0] not in DATA_START_TOTALS and all(t in vocabulary for t in texts)


def _check_not_cut_off(block: TableBlock, last: Row, file: str) -> None:
    """A document that ends inside a table with a short last row (or no row) was cut off."""
    width = 1 + len(block.columns)
    short_row = block.data_rows and len(block.data_rows[-1].cells) < width
    if short_row or (not block.data_rows and block.note is None):
        raise ParseError(
            f"文件在“{block.spec.name}”中途结束（最后一行不完整），文件可能被截断，请重新获取完整文件",
            file=file,
            line=last.cells[-1].line,
        )


def _is_label_continuation(block: TableBlock, row: Row) -> bool:
    """A row with no 序号 and text only in label columns: a label cut by a page break."""
    if not (row.is_table and block.data_rows and not canon(row.texts[0])):
        return False
    cols = sorted(block.columns.values(), key=lambda c: c.no)
    filled = [cols[pos] for pos, t in enumerate(row.texts[1 : 1 + len(cols)]) if t]
    return bool(filled) and all(c.kind == "label" for c in filled)


def _merge_rows(prev: Row, cont: Row) -> Row:
    cells = list(prev.cells)
    for pos, cell in enumerate(cont.cells):
        if cell.text and pos < len(cells):
            cells[pos] = Cell(cells[pos].text + cell.text, cells[pos].line)
    return Row(tuple(cells), prev.is_table)


def _row_key(row: Row) -> str:
    return "|".join(canon(t) for t in row.texts).rstrip("|")


def _is_meta(row: Row) -> bool:
    return any(_META.search(canon(t)) for t in row.texts)


def _is_preamble(row: Row) -> bool:
    return not row.is_table or _is_meta(row)


def _note_preamble(block: TableBlock, row: Row) -> None:
    for pos, text in enumerate(row.texts):
        if not text:
            continue
        if text not in block.preamble:
            block.preamble.append(text)
            block.preamble_lines[text] = row.line_at(pos)
        c = canon(text)
        if m := UNIT_NOTE.search(c):
            block.unit = m.group(1)
        if m := _YEAR.search(c):
            block.year = int(m.group(1))


def _map_columns(spec: TableSpec, lanci: Row, header_rows: list[Row], file: str) -> tuple[Layout, dict[int, Column]]:
    """Map the printed 栏次 numbers to the declared columns, checked by header text."""
    numbers = [canon(t) for t in lanci.texts[1:] if canon(t)]
    if not all(n.isdigit() for n in numbers):
        raise TableError(f"“{spec.name}”的栏次行不是数字：{lanci.texts}", file=file, line=lanci.line)
    header_text = "".join(canon(t) for r in header_rows for t in r.texts)
    for layout in spec.layouts:
        cols = layout.columns
        if layout.lanci and [c.no for c in cols] == [int(n) for n in numbers] and all(c.matches(header_text) for c in cols):
            return layout, {c.no: c for c in cols}
    raise TableError(
        f"“{spec.name}”的表头无法对应到已知栏目（栏次 {', '.join(numbers)}；表头“{header_text}”）",
        file=file,
        line=lanci.line,
    )


def _item(texts: list[str], position: dict[int, int], item_from: int | tuple[int, ...]) -> str | None:
    """The row's label for an amount: one label column, or several joined with "/"."""
    def text(no: int) -> str:
        pos = position.get(no)
        return texts[pos] if pos is not None and pos < len(texts) else ""

    if isinstance(item_from, int):
        return text(item_from) or None
    parts: list[str] = []
    for no in item_from:
        if (t := text(no)) and t not in parts:
            parts.append(t)
    return "/".join(parts) or None


def _check_width(block: TableBlock, row: Row, file: str) -> None:
    if any(row.texts[1 + len(block.columns) :]):
        raise TableError(
            f"“{block.spec.name}”第{row.texts[0]}行的栏数多于栏次行（{len(block.columns)}栏）",
            file=file,
            line=row.line,
        )


def line_items(block: TableBlock, file: str) -> list[LineItem]:
    """Every printed number of one table, as tidy rows keyed by (序号, 栏次)."""
    unit = block.unit or (block.layout.expected_unit if block.layout else "万元")
    if unit not in UNIT_TO_WAN:  # pragma: no cover - UNIT_NOTE only captures known units
        raise ParseError(f"未知金额单位“{unit}”", file=file, line=block.title_line)
    cols = sorted(block.columns.values(), key=lambda c: c.no)
    code_col = next((c for c in cols if c.kind == "code"), None)
    name_col = next((c for c in cols if c.kind == "label"), None)
    # (grid position, column) of the amounts; a label column's texts are looked up by 栏次.
    amounts = [(pos, c) for pos, c in enumerate(cols, start=1) if c.kind == "amount"]
    position = {c.no: pos for pos, c in enumerate(cols, start=1)}
    items: list[LineItem] = []
    for row in block.data_rows:
        texts = row.texts
        width = len(texts)
        row_no = int(canon(texts[0]))
        code = None
        if code_col and position[code_col.no] < width:
            code = texts[position[code_col.no]].replace(" ", "") or None
        for pos, col in amounts:
            if pos >= width or is_blank(text := texts[pos]):
                continue
            value = parse_amount(text)
            if value is None:
                raise ParseError(
                    f"“{block.spec.name}”第{row_no}行第{col.no}栏（{col.label}）应为金额，实为“{text}”",
                    file=file,
                    line=row.line_at(pos),
                )
            items.append(
                LineItem(
                    table=block.spec.key,
                    row_no=row_no,
                    col_no=col.no,
                    code=code,
                    item=_item(texts, position, col.item_from or (name_col.no if name_col else 0)),
                    column=col.key,
                    value=to_wan(value, unit),
                    source_line=row.line_at(pos),
                    **box_columns(row.box_at(pos)),
                )
            )
    return items

