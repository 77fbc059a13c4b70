"""Write report tables to an .xlsx workbook for finance offices.

Layout of every data sheet (0-based rows, see the ``*_ROW`` constants):
row 0 holds the table title, row 1 the unit (``单位：万元``), row 2 the
Chinese column headers, and the data start on row 3; panes are frozen below
the header. An optional total row uses ``SUM`` formulas and also stores their
values, so readers that do not recalculate (pandas, openpyxl) see the totals.
A last sheet ``说明`` lists key/value notes (sources, sha256, version, date).

Text cells are always written with ``write_string``: text taken from source
documents that starts with ``=``, ``+``, ``-`` or ``@`` stays text and never
becomes a formula. Money is accepted as ``decimal.Decimal`` (or ``int``) and
only converted to an IEEE double, rounded to 0.01, at the xlsx boundary.
The file is written under a temporary name in the same folder and then moved
into place with ``os.replace`` (:func:`budgetlib.store.files.atomic_path`), so a
reader never sees half a workbook.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from budgetlib.analysis.report_table import ReportColumn, ReportTable, format_value
from budgetlib.errors import ReportError
from budgetlib.store.files import atomic_path

__all__ = [
    "Sheet", "sheet_of", "write_workbook", "sanitize_sheet_name", "display_width",
    "NOTES_SHEET", "TITLE_ROW", "UNIT_ROW", "HEADER_ROW", "FIRST_DATA_ROW",
]

NUMBER_FORMATS = {"money": "#,##0.00", "int": "#,##0", "percent": "0.00%"}
NOTES_SHEET = "说明"
TITLE_ROW, UNIT_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2, 3
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CENT = Decimal("0.01")
_MIN_WIDTH, _MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class Sheet:
    """One table to write as a worksheet.

    ``rows`` are sequences with one value per column; ``None`` is a blank
    cell. ``total_row`` is the label of a total row (e.g. ``"合计"``) placed
    in the first text column; each money/int column with ``in_total`` gets
    ``=SUM(...)`` over the data rows. Pass only rows that add up (leaf rows,
    not subtotals) when asking for a total row.
    """

    name: str
    title: str
    unit: str
    columns: Sequence[ReportColumn]
    rows: Sequence[Sequence[object]] = field(default_factory=tuple)
    total_row: str | None = None


def display_width(text: str) -> int:
    """Return the display width of text: East Asian wide/fullwidth chars count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sanitize_sheet_name(name: str, used: set[str]) -> str:
    """Return a valid, unique (case-insensitive) sheet name and record it in ``used``.

    Replaces ``[]:*?/\\`` with ``_``, strips leading/trailing apostrophes and
    spaces, truncates to 31 characters and appends ``(2)``, ``(3)``… on clashes.
    """
    base = _FORBIDDEN.sub("_", name).strip().strip("'").strip() or "Sheet"
    base = base[:MAX_SHEET_NAME]
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f"({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def _to_decimal(value: object, sheet: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ReportError(
            f"sheet {sheet!r} {where}: money must be decimal.Decimal or int, "
            f"got {type(value).__name__} {value!r}"
        )
    number = Decimal(value)
    if not number.is_finite():
        raise ReportError(f"sheet {sheet!r} {where}: money must be finite, got {value!r}")
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _to_number(value: object, kind: str, sheet: str, where: str) -> float | int:
    """Convert one cell value to the number stored in the xlsx file."""
    if kind == "money":
        return float(_to_decimal(value, sheet, where))
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ReportError(f"sheet {sheet!r} {where}: {kind} value must be a number, got {value!r}")
    if kind == "int":
        if value != int(value):
            raise ReportError(f"sheet {sheet!r} {where}: int value is not whole: {value!r}")
        return int(value)
    return float(value)


def _write_sheet(ws, sheet: Sheet, fmt: dict, subject: str = "") -> None:
    columns = list(sheet.columns)
    if not columns:
        raise ReportError(f"sheet {sheet.name!r} has no columns")
    widths = [display_width(c.header) for c in columns]

    ws.write_string(TITLE_ROW, 0, sheet.title, fmt["title"])
    if sheet.unit:
        ws.write_string(UNIT_ROW, 0, f"单位：{sheet.unit}", fmt["unit"])
    for col, column in enumerate(columns):
        ws.write_string(HEADER_ROW, col, column.header, fmt["header"])

    # Text wider than a column may be (a long source or message) wraps, so a printed page shows all of it.
    wrapped = {
        col for col, c in enumerate(columns)
        if c.kind == "text" and any(display_width(str(r[col])) + 2 > _MAX_WIDTH for r in sheet.rows if col < len(r) and r[col])
    }
    sums = [Decimal(0) if c.kind == "money" else 0 for c in columns]
    row = FIRST_DATA_ROW
    for index, values in enumerate(sheet.rows):
        values = list(values)
        if len(values) != len(columns):
            raise ReportError(
                f"sheet {sheet.name!r} row {index}: {len(values)} values for {len(columns)} columns"
            )
        lines = max((_lines(values[col]) for col in wrapped), default=1)
        if lines > 1:  # readers do not grow a row to its wrapped text on their own
            ws.set_row(row, _LINE_HEIGHT * lines)
        for col, (column, value) in enumerate(zip(columns, values)):
            where = f"row {index} column {column.header!r}"
            cell_fmt = fmt["text_wrap"] if col in wrapped else fmt[column.kind]
            if value is None or value == "":
                ws.write_blank(row, col, None, cell_fmt)
                continue
            if column.kind == "text":
                text = str(value)
                ws.write_string(row, col, text, cell_fmt)
                widths[col] = max(widths[col], display_width(text))
                continue
            number = _to_number(value, column.kind, sheet.name, where)
            ws.write_number(row, col, number, cell_fmt)
            widths[col] = max(widths[col], len(format_value(number, column.kind)))
            if column.kind == "money":
                sums[col] += _to_decimal(value, sheet.name, where)
            elif column.kind == "int":
                sums[col] += number
        row += 1

    if sheet.total_row is not None:
        label_col = next((i for i, c in enumerate(columns) if c.kind == "text"), None)
        if label_col is None:
            raise ReportError(f"sheet {sheet.name!r}: a total row needs a text column for its label")
        for col, column in enumerate(columns):
            if col == label_col:
                ws.write_string(row, col, sheet.total_row, fmt["total_text"])
                widths[col] = max(widths[col], display_width(sheet.total_row))
            elif column.kind in ("money", "int") and column.in_total:
                first = xl_rowcol_to_cell(FIRST_DATA_ROW, col)
                last = xl_rowcol_to_cell(max(row - 1, FIRST_DATA_ROW), col)
                cached = float(sums[col]) if column.kind == "money" else sums[col]
                formula = f"=SUM({first}:{last})" if row > FIRST_DATA_ROW else "=0"
                ws.write_formula(row, col, formula, fmt[f"total_{column.kind}"], cached)
                widths[col] = max(widths[col], len(format_value(cached, column.kind)))
            else:
                ws.write_blank(row, col, None, fmt["total_text"])

    last_data_row = FIRST_DATA_ROW + len(sheet.rows) - 1
    for col, column in enumerate(columns):
        if column.choices and sheet.rows:
            ws.data_validation(
                FIRST_DATA_ROW, col, last_data_row, col,
                {"validate": "list", "source": list(column.choices), "ignore_blank": True,
                 "error_title": column.header, "error_message": f"请填写：{'、'.join(column.choices)}"},
            )
    set_widths = [min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH) for width in widths]
    for col, width in enumerate(set_widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    _print_setup(ws, sum(set_widths), (TITLE_ROW, HEADER_ROW), subject)


#: Points per line of text (11-point 宋体), for the height of a row whose text wraps.
_LINE_HEIGHT = 15


def _lines(value) -> int:
    """Lines a text takes in a column of the widest width, wrapped."""
    return -(-display_width(str(value or "")) // (_MAX_WIDTH - 2)) or 1


#: Column widths (in characters) that fit an A4 portrait page at 100%; wider sheets print landscape.
PORTRAIT_WIDTH = 95


def _print_setup(ws, total_width: int, header_rows: tuple[int, int], subject: str) -> None:
    """A sheet a finance office can print: A4, as wide as one page (landscape when wide),
    the title and column headers repeated on every page, and a footer naming the
    workbook's subject, the sheet and the page (第 N 页，共 M 页)."""
    ws.set_paper(9)  # A4
    if total_width > PORTRAIT_WIDTH:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.repeat_rows(*header_rows)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(f"&L{_footer_text(subject)}&C&A&R第 &P 页，共 &N 页")


def _footer_text(text: str) -> str:
    """Text for an Excel header/footer: ``&`` is its control character."""
    return text.replace("&", "&&")[:80]


def _write_notes(ws, notes: Iterable[tuple[object, object]], fmt: dict, subject: str = "") -> None:
    ws.write_string(TITLE_ROW, 0, "说明", fmt["title"])
    ws.write_string(HEADER_ROW, 0, "项目", fmt["header"])
    ws.write_string(HEADER_ROW, 1, "内容", fmt["header"])
    widths = [display_width("项目"), display_width("内容")]
    for row, (key, value) in enumerate(notes, start=FIRST_DATA_ROW):
        key_text, value_text = str(key), "" if value is None else str(value)
        ws.write_string(row, 0, key_text, fmt["note"])
        ws.write_string(row, 1, value_text, fmt["note"])
        widths = [max(widths[0], display_width(key_text)), max(widths[1], display_width(value_text))]
    set_widths = [min(max(widths[0] + 2, _MIN_WIDTH), 30), min(max(widths[1] + 2, _MIN_WIDTH), 70)]
    for col, width in enumerate(set_widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    _print_setup(ws, sum(set_widths), (TITLE_ROW, HEADER_ROW), subject)


def _formats(book: xlsxwriter.Workbook) -> dict:
    base = {"font_name": "宋体", "font_size": 11}
    fmt = {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "unit": book.add_format(base),
        "header": book.add_format(
            {**base, "bold": True, "align": "center", "valign": "vcenter",
             "border": 1, "bg_color": "#D9E1F2", "text_wrap": True}
        ),
        "text": book.add_format({**base, "border": 1, "valign": "top"}),
        "note": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top"}),
        "text_wrap": book.add_format({**base, "border": 1, "text_wrap": True, "valign": "top"}),
        "total_text": book.add_format({**base, "border": 1, "bold": True}),
    }
    for kind, number_format in NUMBER_FORMATS.items():
        fmt[kind] = book.add_format({**base, "border": 1, "num_format": number_format, "valign": "top"})
        fmt[f"total_{kind}"] = book.add_format(
            {**base, "border": 1, "bold": True, "num_format": number_format}
        )
    return fmt


def sheet_of(table: ReportTable) -> Sheet:
    """The worksheet of a report table: same title, unit, columns, rows and total row."""
    return Sheet(table.key, table.title, table.unit, table.columns, table.rows, table.total_row)


def write_workbook(
    path: str | os.PathLike,
    sheets: Sequence[Sheet],
    notes: Mapping[object, object] | Iterable[tuple[object, object]] = (),
    subject: str = "",
) -> Path:
    """Write ``sheets`` and a ``说明`` notes sheet to ``path`` atomically; return the path.

    ``notes`` is a mapping or a sequence of ``(key, value)`` pairs, e.g.
    ``{"来源文件": "000.txt", "sha256": "…", "budgetlib 版本": "0.1", "生成日期": "2025-01-01"}``.
    ``subject`` (the department, or 部门预算比较) is printed in every page's footer.
    """
    path = Path(path)
    note_items = list(notes.items() if isinstance(notes, Mapping) else notes)
    used = {NOTES_SHEET.casefold()}
    names = [sanitize_sheet_name(s.name, used) for s in sheets]

    with atomic_path(path) as tmp_name:
        book = xlsxwriter.Workbook(
            os.fspath(tmp_name),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        fmt = _formats(book)
        for name, sheet in zip(names, sheets):
            _write_sheet(book.add_worksheet(name), sheet, fmt, subject)
        _write_notes(book.add_worksheet(NOTES_SHEET), note_items, fmt, subject)
        book.close()
    return path
