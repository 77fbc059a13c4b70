"""Excel workbooks: .xlsx through openpyxl, .xls through xlrd; every sheet as a grid.

Each sheet is read row by row as a table. Merged ranges cover the positions
right of and below their first cell (see :mod:`.grid`). A row whose only text
is in its first column (a title, the department or unit line, a note, prose)
is a text row, so titles are found as in any other format.

Numbers are written as the sheet shows them: rounded to the decimals of the
cell's number format (``#,##0.00`` gives 2), else to the 15 significant digits
Excel keeps, and never through binary floating point arithmetic afterwards.

**Source lines.** ``line = sheet × 1000000 + row``: the row number Excel shows,
on the sheet-th sheet (``2000017`` = 第2张工作表第17行).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal

from budgetlib.errors import ParseError
from budgetlib.read.rows import Cell, Row
from budgetlib.vocab.sources import SHEET_LINES
from budgetlib.read.grid import COVERED_LEFT, COVERED_UP, GridCell, cell_text, grid_rows

_DECIMALS = re.compile(r"\.([0#?]+)")


def number_text(value: float | int, number_format: str | None = "General") -> str:
    """A number as the cell displays it (decimals of its format), as exact decimal text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    fmt = (number_format or "General").split(";")[0]
    number = Decimal(format(value, ".15g"))
    if "%" not in fmt and (m := _DECIMALS.search(fmt)):
        number = number.quantize(Decimal(1).scaleb(-len(m.group(1))), rounding=ROUND_HALF_UP)
    elif "%" not in fmt and fmt.strip() not in ("General", "@", "") and re.search(r"[0#]", fmt):
        number = number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number:f}"


def _text(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value, number_format)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return cell_text(str(value))


def _sheet_rows(grid: list[list[GridCell]], sheet_no: int, first_row: int, file: str) -> list[Row]:
    if first_row + len(grid) >= SHEET_LINES:
        raise ParseError(f"第{sheet_no}张工作表的行数超过{SHEET_LINES - 1}行，无法编号", file=file)
    lines = [sheet_no * SHEET_LINES + first_row + i for i in range(len(grid))]
    rows = []
    for row in grid_rows(grid, lines):
        own = [c for c in row.cells if c.text]
        if row.is_table and len(own) == 1 and row.cells[0].text:
            rows.append(Row((Cell(own[0].text, row.line),), False))
        elif row.is_table and not own:
            continue
        else:
            rows.append(row)
    return rows


def _covered(grid: list[list[GridCell]], top: int, left: int, bottom: int, right: int) -> None:
    """Mark the positions of a merged range (0-based, inclusive) other than its first cell."""
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            if (r, c) == (top, left) or r >= len(grid) or c >= len(grid[r]):
                continue
            grid[r][c] = COVERED_UP if c == left else COVERED_LEFT


def read_xlsx(data: bytes, file: str) -> list[Row]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise ParseError(f"无法打开Excel文件（文件损坏或不是.xlsx）：{type(exc).__name__}: {exc}", file=file) from None
    rows: list[Row] = []
    for sheet_no, sheet in enumerate(book.worksheets, start=1):
        if sheet.max_row < 1 or sheet.max_column < 1:
            continue
        grid = [
            [GridCell(_text(c.value, c.number_format)) for c in row]
            for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column)
        ]
        for rng in sheet.merged_cells.ranges:
            _covered(grid, rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1)
        rows += _sheet_rows(grid, sheet_no, 1, file)
    return rows


def read_xls(data: bytes, file: str) -> list[Row]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on damaged files
        raise ParseError(f"无法打开Excel文件（文件损坏或不是.xls）：{exc}", file=file) from None
    rows: list[Row] = []
    for sheet_no, sheet in enumerate(book.sheets(), start=1):
        grid = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                cells.append(GridCell(_xls_text(book, cell)))
            grid.append(cells)
        for top, bottom, left, right in sheet.merged_cells:
            _covered(grid, top, left, bottom - 1, right - 1)
        rows += _sheet_rows(grid, sheet_no, 1, file)
    return rows


def _xls_text(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        return number_text(cell.value, fmt.format_str if fmt else None)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, book.datemode).date().isoformat()
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return str(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return cell_text(str(cell.value))
