"""PDF with a text layer, through pdfium: ruled tables as grids, the rest as lines of text.

pdfium (pypdfium2) reads each page's characters with their boxes and the paths
it paints (:mod:`.pdf_objects`). On every page, tables are found from their
ruling lines (:mod:`.lattice`). Word and WPS often paint cell backgrounds as
filled rectangles as tall as a line of text; those would cut every row in two,
so only thin rectangles (at most 2 pt across) and lines count as rulings,
unless the page has no table without them. Each table row becomes a table
:class:`~budgetlib.read.rows.Row` (merged cells and spurious grid columns
handled by :mod:`.grid`); the text outside tables becomes text rows
(:mod:`.pdf_lines`).

**Source lines.** ``line = page × 1000 + row``: the row-th line of page ``page``
counting text lines and table rows from the top of the page, both from 1. So
``14023`` is 第14页第23行 (see :mod:`budgetlib.vocab.sources`).

**Boxes.** Every cell remembers where it is printed (:class:`~budgetlib.read.rows.Ink`):
the page and, in PDF points from the page's top-left corner as displayed, the box
around a table cell's characters, or each character's box for a line of prose.

A PDF without a text layer (a scan) raises :class:`~budgetlib.errors.ParseError`.
"""
from __future__ import annotations

from budgetlib.errors import ParseError
from budgetlib.read.grid import COVERED_LEFT, COVERED_UP, GridCell, cell_text, grid_rows
from budgetlib.read.lattice import Table, find_tables
from budgetlib.read.pdf_lines import reflow, segments, text_lines
from budgetlib.read.pdf_objects import BOTTOM, TEXT, TOP, UPRIGHT, X0, X1, PageFrame, count_images, page_chars, page_paths
from budgetlib.read.rows import Ink, Row
from budgetlib.vocab.sources import PAGE_LINES

#: Rectangles at most this thick (pt) are rulings; thicker ones are cell shading.
_RULING = 2.0


def read_pdf(data: bytes, file: str) -> list[Row]:
    """Rows of every page, in reading order."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium reports damage as PdfiumError
        raise ParseError(f"无法读取PDF文件（文件损坏或不是PDF）：{type(exc).__name__}: {exc}", file=file) from None
    try:
        return _read_pages(doc, file)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged page
        raise ParseError(f"无法读取PDF文件（文件损坏）：{type(exc).__name__}: {exc}", file=file) from None
    finally:
        doc.close()


def _read_pages(doc, file: str) -> list[Row]:
    import pypdfium2.raw as pdfium_c

    pages = len(doc)
    if pages >= 2_000_000:  # pragma: no cover - beyond int32 line numbers
        raise ParseError("PDF页数过多，无法编号", file=file)
    rows: list[Row] = []
    chars = images = 0
    for page_no in range(1, pages + 1):
        # pdfium's own handles: the wrapper objects would cost more than they give here
        page = pdfium_c.FPDF_LoadPage(doc, page_no - 1)
        if not page:
            raise ParseError(f"无法读取PDF第{page_no}页（文件损坏）", file=file)
        try:
            frame = PageFrame.of_page(page)
            textpage = pdfium_c.FPDFText_LoadPage(page)
            if not textpage:
                raise ParseError(f"无法读取PDF第{page_no}页的文字（文件损坏）", file=file)
            try:
                printed = page_chars(textpage, frame)
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
            chars += len(printed)
            if printed:
                rects, lines, curves = page_paths(page, frame)
                rows += page_rows(printed, rects, lines, curves, page_no, file)
            elif chars == 0:
                images += count_images(page)
        finally:
            pdfium_c.FPDF_ClosePage(page)
    if chars == 0:
        hint = f"共{pages}页，含{images}幅图像" if images else f"共{pages}页"
        raise ParseError(
            f"PDF没有文字层，可能是扫描件（{hint}）：budgetlib只读带文字层的PDF，请先用OCR软件转换为可检索的PDF，或改用Word/Excel原件",
            file=file,
        )
    return rows


# -- tables -----------------------------------------------------------------------------------


def _tables(rects: list[tuple], lines: list[tuple], curves: list[tuple]) -> list[Table]:
    """Ruled tables; cell shading (thick rectangles) does not count as rulings unless nothing else makes a table."""
    thin = [r for r in rects if r[2] - r[0] <= _RULING or r[3] - r[1] <= _RULING]
    if len(thin) < len(rects):
        tables = find_tables(thin, lines, curves)
        if tables:
            return tables
    return find_tables(rects, lines, curves)


def _grid(table: Table, chars: list[dict], page_no: int) -> list[list[GridCell]]:
    """The table's cells with their text and ink, covered positions marked (merged cells start left or above)."""
    texts, members = table.extract(chars)
    xs: dict[int, float] = {}
    for row in table.rows:
        for j, bbox in enumerate(row.cells):
            if bbox is not None:
                xs.setdefault(j, bbox[0])
    grid = []
    spanning: dict[float, list] = {}  # the cells a row's top falls in, in the table's order
    for row, row_texts, row_members in zip(table.rows, texts, members):
        top = row.bbox[1]
        cells = []
        for j, (bbox, text, printed) in enumerate(zip(row.cells, row_texts, row_members)):
            if bbox is not None:
                cells.append(GridCell(cell_text(text), "", _ink(printed, page_no)))
                continue
            x = xs.get(j)
            if top not in spanning:
                spanning[top] = [c for c in table.cells if c[1] - 0.5 <= top + 1 <= c[3]]
            owner = next((c for c in spanning[top] if x is not None and c[0] - 0.5 <= x + 1 <= c[2]), None)
            starts_left = owner is not None and x is not None and owner[0] < x - 0.5
            cells.append(COVERED_LEFT if starts_left or owner is None and j > 0 else COVERED_UP)
        grid.append(cells)
    return grid


def _ink(chars: list[dict], page_no: int) -> Ink | None:
    """One box around the printed (non-blank) characters of a cell."""
    printed = [c for c in chars if not c[TEXT].isspace()]
    if not printed:
        return None
    box = (
        min([c[X0] for c in printed]),
        min([c[TOP] for c in printed]),
        max([c[X1] for c in printed]),
        max([c[BOTTOM] for c in printed]),
    )
    return Ink(page_no, (box,))


# -- one page -----------------------------------------------------------------------------------


def _outside(chars: list[dict], boxes: list[tuple]) -> list[dict]:
    """The upright characters whose middles are outside every table."""
    out = []
    for c in chars:
        if not c[UPRIGHT]:
            continue
        x = (c[X0] + c[X1]) / 2
        y = (c[TOP] + c[BOTTOM]) / 2
        for b in boxes:
            if b[0] <= x <= b[2] and b[1] <= y <= b[3]:
                break
        else:
            out.append(c)
    return out


def page_rows(chars: list[tuple], rects: list[tuple], lines: list[tuple], curves: list[tuple], page_no: int, file: str) -> list[Row]:
    """Rows of one page: table rows and text lines numbered together from the top."""
    tables = _tables(rects, lines, curves)
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, int, object]] = []  # (top, order, payload)
    grids = [_grid(table, chars, page_no) for table in tables]
    for t_no, table in enumerate(tables):
        for r, row in enumerate(table.rows):
            items.append((row.bbox[1], 1, (t_no, r)))
    for line in text_lines(_outside(chars, boxes) if boxes else [c for c in chars if c[UPRIGHT]]):
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
            text_rows.append((base + no, segments(payload)))
    out: list[tuple[int, Row]] = []
    for t_no, grid in enumerate(grids):
        for row in grid_rows(grid, lines_of[t_no]):
            out.append((row.line, row))
    for row in reflow(text_rows, page_no):
        out.append((row.line, row))
    out.sort(key=lambda pair: pair[0])
    return [row for _, row in out]
