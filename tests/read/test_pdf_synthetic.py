"""The pdfium reader on PDFs made here with pdfium itself: runs without the real documents.

Each PDF is drawn with known text at known places (PDF points), so the
expected rows, cells and boxes are those of the drawing.
"""
from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from budgetlib.errors import ParseError
from budgetlib.read.lattice import find_tables, text_of
from budgetlib.read.pdf import read_pdf

WIDTH, HEIGHT = 400.0, 300.0


def _text(doc, page, text: str, x: float, baseline_from_top: float, size: float = 10.0) -> None:
    obj = pdfium_c.FPDFPageObj_NewTextObj(doc, b"Helvetica", size)
    units = (text + "\x00").encode("utf-16-le")
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.create_string_buffer(units), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, HEIGHT - baseline_from_top)
    pdfium_c.FPDFPage_InsertObject(page, obj)


def _ruling(page, x0: float, top: float, x1: float, bottom: float) -> None:
    """A thin filled rectangle, as Word draws cell borders."""
    obj = pdfium_c.FPDFPageObj_CreateNewRect(x0, HEIGHT - bottom, x1 - x0, bottom - top)
    pdfium_c.FPDFPageObj_SetFillColor(obj, 0, 0, 0, 255)
    pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
    pdfium_c.FPDFPage_InsertObject(page, obj)


def _stroked_line(page, x0: float, top: float, x1: float, bottom: float) -> None:
    obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, HEIGHT - top)
    pdfium_c.FPDFPath_LineTo(obj, x1, HEIGHT - bottom)
    pdfium_c.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
    pdfium_c.FPDFPageObj_SetStrokeWidth(obj, 0.5)
    pdfium_c.FPDFPath_SetDrawMode(obj, 0, 1)
    pdfium_c.FPDFPage_InsertObject(page, obj)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table_pdf(stroked: bool = False) -> bytes:
    """A title line (two words 8 pt apart), then a ruled table of two rows and two columns: (Item | Amount), (Total | 12.50)."""
    doc = pdfium.PdfDocument.new()
    page = pdfium_c.FPDFPage_New(doc, 0, WIDTH, HEIGHT)
    _text(doc, page, "Budget", 50, 40)
    _text(doc, page, "2024", 90, 40)
    draw = _stroked_line if stroked else (lambda p, x0, t, x1, b: _ruling(p, x0, t, x1, b + 0.5) if t == b else _ruling(p, x0, t, x0 + 0.5, b))
    for top in (60, 80, 100):
        draw(page, 50, top, 250, top)
    for x in (50, 150, 250):
        draw(page, x, 60, x, 100)
    _text(doc, page, "Item", 60, 74)
    _text(doc, page, "Amount", 160, 74)
    _text(doc, page, "Total", 60, 94)
    _text(doc, page, "12.50", 160, 94)
    pdfium_c.FPDFPage_GenerateContent(page)
    pdfium_c.FPDF_ClosePage(page)
    return _save(doc)


@pytest.mark.parametrize("stroked", [False, True], ids=["filled rulings", "stroked rulings"])
def test_ruled_table_is_read_as_a_grid_with_boxes(stroked):
    rows = read_pdf(_table_pdf(stroked), "t.pdf")
    assert [(r.is_table, r.texts, r.line) for r in rows] == [
        (False, ["Budget 2024"], 1001),
        (True, ["Item", "Amount"], 1002),
        (True, ["Total", "12.50"], 1003),
    ]
    ink = rows[2].cells[1].ink
    page, x0, y0, x1, y1 = ink.span()
    assert page == 1
    # drawn at x=160 on the baseline 94 pt from the top, 10 pt Helvetica: five characters about 25 pt wide
    assert x0 == pytest.approx(160, abs=0.5) and 180 < x1 < 190
    assert y0 < 94 < y1 and y1 - y0 == pytest.approx(10, abs=0.5)
    title = rows[0].cells[0].ink
    # a box per character, None for the space the reader put in the 8 pt gap between the two words
    assert len(title.boxes) == len("Budget 2024") and title.boxes[6] is None


def test_a_page_without_text_is_refused_as_a_scan():
    doc = pdfium.PdfDocument.new()
    page = pdfium_c.FPDFPage_New(doc, 0, WIDTH, HEIGHT)
    _ruling(page, 10, 10, 100, 11)
    pdfium_c.FPDFPage_GenerateContent(page)
    pdfium_c.FPDF_ClosePage(page)
    with pytest.raises(ParseError, match="没有文字层"):
        read_pdf(_save(doc), "scan.pdf")


def test_damaged_pdf_is_a_parse_error():
    with pytest.raises(ParseError, match="无法读取PDF"):
        read_pdf(b"%PDF-1.7\n1 0 obj <<>> garbage", "bad.pdf")


def test_lattice_cells_and_text():
    thin = lambda x0, top, x1, bottom: (x0, top, x1, bottom)
    rects = [thin(0, t, 100, t + 0.5) for t in (0, 10, 20)] + [thin(x, 0, x + 0.5, 20) for x in (0, 50, 100)]
    (table,) = find_tables(rects, [], [])
    assert len(table.rows) == 2 and all(len(r.cells) == 2 for r in table.rows)
    char = lambda t, x0, top: (t, x0, x0 + 5, top, top + 8, 8.0, True)  # text, x0, x1, top, bottom, size, upright
    chars = [char("1", 10, 1), char("2", 15, 1), char(" ", 20, 1), char("3", 25, 1), char("a", 60, 11)]
    texts, members = table.extract(chars)
    assert texts == [["12 3", ""], ["", "a"]]
    assert text_of([char("x", 0, 0), char("y", 0, 9)]) == "x\ny"
