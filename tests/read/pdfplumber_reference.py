"""The PDF reader budgetlib had before 0.x: pdfplumber (pdfminer.six), kept as the reference
for the differential test (tests/read/test_pdf_differential.py) and the benchmark (bench/pdf.py).

Not part of the package: budgetlib reads PDFs through pdfium (budgetlib/read/pdf.py), which
gives the same rows ten times faster. pdfplumber is a development dependency only.

Original docstring:

PDF with a text layer, through pdfplumber: ruled tables as grids, the rest as lines of text.

On every page, tables are found from their ruling lines (pdfplumber's lattice
method). Word and WPS often paint cell backgrounds as filled rectangles as tall
as a line of text; those would cut every row in two, so only thin rectangles
(at most 2 pt across) and lines count as rulings, unless the page has no table
without them. Each table row becomes a table :class:`~budgetlib.read.rows.Row`
(merged cells and spurious grid columns handled by :mod:`.grid`); the text
outside tables becomes text rows, one per printed line, a line split where it
leaves a wide gap (``编制部门：… 单位：元``), and the lines of a paragraph
wrapped at the right margin joined back into one row.

**Source lines.** ``line = page × 1000 + row``: the row-th line of page ``page``
counting text lines and table rows from the top of the page, both from 1. So
``14023`` is 第14页第23行 (see :mod:`budgetlib.vocab.sources`).

A PDF without a text layer (a scan) raises :class:`~budgetlib.errors.ParseError`.
"""
from __future__ import annotations

import io
import re

from budgetlib.errors import ParseError
from budgetlib.read.rows import Cell, Row
from budgetlib.vocab.sources import PAGE_LINES
from budgetlib.vocab.text import clean_cell
from budgetlib.read.grid import COVERED_LEFT, COVERED_UP, GridCell, cell_text, grid_rows

#: Rectangles at most this thick (pt) are rulings; thicker ones are cell shading.
_RULING = 2.0
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: A line ending within this many characters of the right margin may wrap (a long number
#: or word that did not fit moves to the next line whole).
_WRAP = 6


def read_pdf(data: bytes, file: str) -> list[Row]:
    """Rows of every page, in reading order."""
    try:
        return _read_pdf(data, file)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        raise ParseError(f"无法读取PDF文件（文件损坏或不是PDF）：{type(exc).__name__}: {exc}", file=file) from None


def _read_pdf(data: bytes, file: str) -> list[Row]:
    import pdfplumber

    pdf = pdfplumber.open(io.BytesIO(data))
    rows: list[Row] = []
    chars = images = 0
    with pdf:
        pages = len(pdf.pages)
        if pages >= 2_000_000:  # pragma: no cover - beyond int32 line numbers
            raise ParseError("PDF页数过多，无法编号", file=file)
        for page_no, page in enumerate(pdf.pages, start=1):
            chars += len(page.chars)
            images += len(page.images)
            if page.chars:
                rows += _page_rows(page, page_no, file)
    if chars == 0:
        hint = f"共{pages}页，含{images}幅图像" if images else f"共{pages}页"
        raise ParseError(
            f"PDF没有文字层，可能是扫描件（{hint}）：budgetlib只读带文字层的PDF，请先用OCR软件转换为可检索的PDF，或改用Word/Excel原件",
            file=file,
        )
    return rows


# -- tables -----------------------------------------------------------------------------------


def _is_ruling(obj: dict) -> bool:
    if obj.get("object_type") != "rect":
        return True
    return min(obj["width"], obj["height"]) <= _RULING


def _find_tables(page):
    thick = any(min(r["width"], r["height"]) > _RULING for r in page.rects)
    if thick:
        tables = page.filter(_is_ruling).find_tables()
        if tables:
            return tables
    return page.find_tables()


def _grid(table) -> list[list[GridCell]]:
    """The table's cells, covered positions marked (merged cells start left or above)."""
    texts = table.extract()
    xs: dict[int, float] = {}
    for row in table.rows:
        for j, bbox in enumerate(row.cells):
            if bbox is not None:
                xs.setdefault(j, bbox[0])
    grid = []
    for r, (row, row_texts) in enumerate(zip(table.rows, texts)):
        top = row.bbox[1]
        cells = []
        for j, (bbox, text) in enumerate(zip(row.cells, row_texts)):
            if bbox is not None:
                cells.append(GridCell(cell_text(text)))
                continue
            x = xs.get(j)
            owner = next(
                (c for c in table.cells if x is not None and c[0] - 0.5 <= x + 1 <= c[2] and c[1] - 0.5 <= top + 1 <= c[3]),
                None,
            )
            starts_left = owner is not None and x is not None and owner[0] < x - 0.5
            cells.append(COVERED_LEFT if starts_left or owner is None and j > 0 else COVERED_UP)
        grid.append(cells)
    return grid


# -- text lines -------------------------------------------------------------------------------


class _Line:
    __slots__ = ("chars", "top", "bottom")

    def __init__(self, char: dict):
        self.chars = [char]
        self.top, self.bottom = char["top"], char["bottom"]

    def takes(self, char: dict) -> bool:
        middle = (char["top"] + char["bottom"]) / 2
        return self.top - 0.5 <= middle <= self.bottom + 0.5

    def add(self, char: dict) -> None:
        self.chars.append(char)
        self.top, self.bottom = min(self.top, char["top"]), max(self.bottom, char["bottom"])


def _text_lines(chars: list[dict]) -> list[_Line]:
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if not char["text"].strip():
            continue
        for line in reversed(lines[-3:]):
            if line.takes(char):
                line.add(char)
                break
        else:
            lines.append(_Line(char))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return lines


def _segments(line: _Line) -> list[tuple[str, float, float, float]]:
    """The line cut at wide gaps: ``(text, x0, x1, size)`` per segment."""
    segments = []
    text, start, prev = "", None, None
    size = max(c["size"] for c in line.chars) or 10.0
    for char in line.chars:
        if prev is not None:
            gap = char["x0"] - prev["x1"]
            if gap > 2.5 * size:
                segments.append((text, start, prev["x1"], size))
                text, start = "", None
            elif gap > 0.3 * size and not (_CJK.match(prev["text"]) or _CJK.match(char["text"])):
                text += " "
            elif gap < -0.5 * size and char["text"] == prev["text"]:
                continue  # a character drawn twice (fake bold)
        if start is None:
            start = char["x0"]
        text += char["text"]
        prev = char
    segments.append((text, start, prev["x1"], size))
    return segments


# -- one page -----------------------------------------------------------------------------------


def _inside(char: dict, boxes: list[tuple]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _page_rows(page, page_no: int, file: str) -> list[Row]:
    tables = _find_tables(page)
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, int, object]] = []  # (top, order, payload)
    grids = [_grid(table) for table in tables]
    for t_no, table in enumerate(tables):
        for r, row in enumerate(table.rows):
            items.append((row.bbox[1], 1, (t_no, r)))
    chars = [c for c in page.chars if c.get("upright", True) and not _inside(c, boxes)]
    for line in _text_lines(chars):
        items.append((line.top, 0, line))
    items.sort(key=lambda it: (it[0], it[1]))
    base = page_no * PAGE_LINES
    lines_of: dict[int, list[int]] = {}
    text_rows: list[tuple[int, list]] = []
    for no, (_top, kind, payload) in enumerate(items, start=1):
        if no >= PAGE_LINES:
            raise ParseError(f"第{page_no}页的行数超过{PAGE_LINES - 1}行，无法编号", file=file)
        if kind == 1:
            lines_of.setdefault(payload[0], []).append(base + no)
        else:
            text_rows.append((base + no, _segments(payload)))
    out: list[tuple[int, Row]] = []
    for t_no, grid in enumerate(grids):
        for row in grid_rows(grid, lines_of[t_no]):
            out.append((row.line, row))
    for row in _reflow(text_rows):
        out.append((row.line, row))
    out.sort(key=lambda pair: pair[0])
    return [row for _, row in out]


def _reflow(text_rows: list[tuple[int, list]]) -> list[Row]:
    """Text rows; a paragraph wrapped at the right margin is joined back into one row."""
    singles = [segs[0] for _, segs in text_rows if len(segs) == 1]
    right = max((s[2] for s in singles), default=0)
    left = min((s[1] for s in singles), default=0)
    rows: list[Row] = []
    open_row: list | None = None  # [text, line, x1, size, last line] of a row that may continue
    for line, segments in text_rows:
        if len(segments) == 1:
            text, x0, x1, size = segments[0]
            if open_row and line == open_row[4] + 1 and x0 <= left + 0.5 * size and abs(size - open_row[3]) < 0.5:
                open_row[0] += ("" if _CJK.match(text[:1]) or _CJK.match(open_row[0][-1:]) else " ") + text
                open_row[2], open_row[4] = x1, line
                if x1 < right - _WRAP * size:
                    rows.append(_text_row(open_row[0], open_row[1]))
                    open_row = None
                continue
            if open_row:
                rows.append(_text_row(open_row[0], open_row[1]))
                open_row = None
            if x1 >= right - _WRAP * size and len(text) > 10:
                open_row = [text, line, x1, size, line]
            else:
                rows.append(_text_row(text, line))
            continue
        if open_row:
            rows.append(_text_row(open_row[0], open_row[1]))
            open_row = None
        for text, *_ in segments:
            rows.append(_text_row(text, line))
    if open_row:
        rows.append(_text_row(open_row[0], open_row[1]))
    return rows


def _text_row(text: str, line: int) -> Row:
    """A line of text outside tables: one cleaned cell."""
    return Row((Cell(clean_cell(text), line),), False)
