"""Every number read from a PDF carries the page and box where it is printed.

The boxes are checked against the page itself: pdfium's own text extraction of
the rectangle (``FPDFText_GetBoundedText``, independent of the reader's
character grouping) must be the printed number. Where a test names a page, it
is the page the figure is printed on in the published document.
"""
from __future__ import annotations

import ctypes
from decimal import Decimal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from budgetlib.extract.document import parse_document
from budgetlib.read.pdf import read_pdf
from budgetlib.read.pdf_objects import PageFrame
from budgetlib.read.rows import BOX_COLUMNS, Ink, box_columns
from conftest import real_document, seed_path


def bounded_text(doc, rec: dict, shrink: float = 0.5) -> str:
    """The text pdfium finds inside a record's box (shrunk a little, so neighbours stay out)."""
    page = doc[rec["page"] - 1]
    frame = PageFrame.of_page(page)
    left, bottom, right, top = frame.user_box(rec["x0"] + shrink, rec["y0"] + shrink, rec["x1"] - shrink, rec["y1"] - shrink)
    textpage = page.get_textpage()
    n = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    buffer = ctypes.create_string_buffer(n * 2 + 2)
    pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), n)
    return buffer.raw[: n * 2].decode("utf-16-le").replace("\x00", "").strip()


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace(" ", ""))


@pytest.mark.parametrize("name,to_wan", [("js_jcy_2019_dept_budget.pdf", 1), ("sh_pt_swj_2025_dept_budget.pdf", None)])
def test_every_line_item_box_holds_its_printed_number(name, to_wan):
    path = real_document(name)
    items = parse_document(path).records["line_items"]
    assert items
    doc = pdfium.PdfDocument(path)
    try:
        for it in items:
            assert all(it[k] is not None for k in BOX_COLUMNS), it
            assert it["x0"] < it["x1"] and it["y0"] < it["y1"]
            printed = _amount(bounded_text(doc, it))
            # Shanghai prints its tables in 元 and the 三公 table in 万元: the value is in 万元 either way
            assert it["value"] in (printed, printed / 10000), (it, printed)
    finally:
        doc.close()


def test_prose_figure_box_holds_the_figure_as_printed():
    # 上海市普陀区财政局 2024 决算, 第21页: “财政拨款收入支出总计0.3万元”
    path = real_document("sh_pt_czj_2024_dept_final.pdf")
    facts = parse_document(path).records["narrative_facts"]
    total = next(f for f in facts if f["fact"] == "fiscal_total" and f["year"] == 2024 and not f["is_derived"])
    assert total["value"] == Decimal("0.3") and total["page"] == 21
    doc = pdfium.PdfDocument(path)
    try:
        assert bounded_text(doc, total) == "0.3万元"
        stated = [f for f in facts if not f["is_derived"] and f["page"] is not None]
        assert len(stated) >= 20
        for f in stated:
            text = bounded_text(doc, f)
            assert text and text[0] in "0123456789-持基增减", (f, text)
    finally:
        doc.close()


def test_table_of_rotated_pages_boxes_are_on_the_page_as_displayed():
    # 江苏省人大常委会办公厅2019年部门预算公开表: landscape tables on pages turned by /Rotate 90
    path = real_document("jiangsu_npc_2017_2019/江苏省人大常委会办公厅2019年部门预算公开表.pdf")
    items = parse_document(path).records["line_items"]
    doc = pdfium.PdfDocument(path)
    try:
        width, height = doc[0].get_size()
        assert width > height  # displayed landscape
        for it in items:
            assert 0 <= it["x0"] < it["x1"] <= width and 0 <= it["y0"] < it["y1"] <= height
            assert it["value"] == _amount(bounded_text(doc, it))
    finally:
        doc.close()


def test_rows_carry_ink_for_table_cells_and_prose_characters():
    path = real_document("js_jcy_2019_dept_budget.pdf")
    rows = read_pdf(path.read_bytes(), path.name)
    # 第2页 is the table of contents, headed “目录”
    contents = next(r for r in rows if r.text == "目录")
    assert contents.line // 1000 == 2
    ink = contents.cells[0].ink
    assert ink.page == 2 and len(ink.boxes) == 2  # one box per character of a prose line
    assert ink.boxes[0][2] <= ink.boxes[1][0]  # 目 left of 录
    tables = [r for r in rows if r.is_table and any(c.ink for c in r.cells)]
    assert tables and all(len(c.ink.boxes) == 1 for r in tables for c in r.cells if c.ink)


def test_boxes_are_null_for_documents_not_read_from_pdf():
    items = parse_document(seed_path("001")).records["line_items"]
    assert items and all(it[k] is None for it in items for k in BOX_COLUMNS)


def test_ink_span_and_box_columns():
    ink = Ink(3, ((10.0, 20.0, 15.0, 30.0), None, (16.0, 19.0, 22.0, 31.0)))
    assert ink.span() == (3, 10.0, 19.0, 22.0, 31.0)
    assert ink.span(2, 3) == (3, 16.0, 19.0, 22.0, 31.0)
    assert ink.span(1, 2) is None
    assert Ink(1, ((1.0, 2.0, 3.0, 4.0),)).span(5, 9) == (1, 1.0, 2.0, 3.0, 4.0)
    assert box_columns(None) == dict.fromkeys(BOX_COLUMNS)
    assert box_columns((2, 1.234, 2.0, 3.0, 4.0)) == {"page": 2, "x0": 1.23, "y0": 2.0, "x1": 3.0, "y1": 4.0}
