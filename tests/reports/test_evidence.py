"""Findings shown where they are printed: page crops in the department report, annotated PDF copies.

The real document is 上海市普陀区财政局's 2024 final account (../shared/real/, skipped
where absent). Read in the document: its 财政拨款收支总表 (page 13) totals 2,961.68
万元, while the 情况说明 (page 21) says “财政拨款收入支出总计0.3万元” — the one
``error`` the checks find in it.
"""
from __future__ import annotations

import ctypes
import hashlib
import io
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from budgetlib.batch.pipeline import check_to, parse_to
from budgetlib.read.pdf_objects import PageFrame
from budgetlib.reports import department_report as D
from budgetlib.reports.annotate import annotate_all, annotated_path
from budgetlib.reports.evidence import Evidence, Mark, crop_png, find_original, finding_marks, findings_evidence
from budgetlib.store.load import load
from conftest import real_document

NAME = "sh_pt_czj_2024_dept_final.pdf"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """``(raw, data)``: the PDF in a read-only raw folder, and its parsed and checked tables."""
    source = real_document(NAME)
    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(source, raw / NAME)
    (raw / NAME).chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    data = tmp_path_factory.mktemp("processed")
    summary = parse_to([raw], data, workers=1)
    assert not summary.failures
    check_to(data)
    return raw, data


def _error(data_dir: Path) -> dict:
    findings = load(data_dir, cache=False).findings
    (error,) = findings.filter(findings["severity"] == "error").to_dicts()
    return error


def _records(data_dir: Path, name: str) -> list[dict]:
    return load(data_dir, cache=False)[name].to_dicts()


def test_the_error_is_marked_on_the_table_cell_and_the_prose_figure(processed):
    _, data = processed
    error = _error(data)
    assert error["table"] == "fiscal_summary" and error["actual"] == Decimal("0.3")
    marks = finding_marks(error, _records(data, "line_items"), _records(data, "narrative_facts"))
    assert sorted({m.page for m in marks}) == [13, 21]
    assert len(marks) == 2


def test_finding_marks_without_boxes_are_empty():
    finding = {"table": "income", "row_no": 1, "col_no": 3, "source_line": 7, "message": "第1页第7行", "expected": None, "actual": None}
    items = [{"table": "income", "row_no": 1, "col_no": 3, "source_line": 7, "page": None, "x0": None, "y0": None, "x1": None, "y1": None}]
    assert finding_marks(finding, items, []) == []


def test_finding_marks_follow_the_places_the_message_quotes():
    finding = {
        "table": "income_expense_summary", "row_no": 23, "col_no": 2, "source_line": 8032, "expected": Decimal(0),
        "actual": Decimal("15897.44"), "message": "情况说明第19页第16行“预算收入”0与第23行“收入合计”15897.44",
    }
    box = {"page": 8, "x0": 1.0, "y0": 2.0, "x1": 3.0, "y1": 4.0}
    items = [{"table": "income_expense_summary", "row_no": 23, "col_no": 2, "source_line": 8032, **box}]
    facts = [
        {"source_line": 19016, "value": Decimal(0), "is_derived": False, "page": 19, "x0": 5.0, "y0": 6.0, "x1": 7.0, "y1": 8.0},
        {"source_line": 19016, "value": Decimal(5), "is_derived": False, "page": 19, "x0": 50.0, "y0": 6.0, "x1": 70.0, "y1": 8.0},
    ]
    assert finding_marks(finding, items, facts) == [Mark(8, 1.0, 2.0, 3.0, 4.0), Mark(19, 5.0, 6.0, 7.0, 8.0)]


def test_crop_shows_the_page_band_with_the_cell_boxed(processed):
    raw, _ = processed
    png = crop_png(raw / NAME, 21, [Mark(21, 372.0, 406.0, 411.0, 423.0)])
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # the page's width (595 pt at 2×), a band of the box's height and the margins
    assert image.width == 1190 and 100 < image.height < 200
    pixels = image.load()
    red = sum(1 for x in range(image.width) for y in range(image.height) if pixels[x, y][0] > 200 and pixels[x, y][1] < 80)
    assert red > 100


def test_department_report_shows_the_error_on_both_pages(processed):
    raw, data = processed
    report = D.open_department("上海市普陀区财政局", None, data, data / "unused", raw)
    evidence = D.evidence(report)
    (shown,) = evidence.shown
    assert [caption for caption, _ in shown.images] == ["第13页", "第21页"]
    html = evidence._repr_html_()
    assert html.count('src="data:image/png;base64,') == 2 and "0.3" in html


def test_evidence_is_withheld_when_the_original_changed(processed, tmp_path):
    raw, data = processed
    other = tmp_path / NAME
    other.write_bytes((raw / NAME).read_bytes() + b"\n%changed\n")
    doc = load(data, cache=False).documents.to_dicts()[0]
    assert find_original(raw, NAME, doc["sha256"]) == raw / NAME
    assert find_original(tmp_path, NAME, doc["sha256"]) is None
    (shown,) = findings_evidence(load(data, cache=False), [doc["doc_id"]], tmp_path)
    assert not shown.images and "已被修改" in shown.note


def test_evidence_text_is_escaped():
    from budgetlib.reports.evidence import Shown

    html = Evidence([Shown("<b>x</b>", "a<script>", [])])._repr_html_()
    assert "<script>" not in html and "&lt;b&gt;" in html


# -- annotated copies ------------------------------------------------------------------------------


def _annotations(doc) -> list[tuple[int, int, tuple, str]]:
    """``(page, subtype, (left, bottom, right, top), contents)`` of every annotation, read by pdfium."""
    out = []
    for index in range(len(doc)):
        page = doc[index]
        for j in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
            annot = pdfium_c.FPDFPage_GetAnnot(page, j)
            rect = pdfium_c.FS_RECTF()
            pdfium_c.FPDFAnnot_GetRect(annot, rect)
            n = pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buffer = ctypes.create_string_buffer(n)
            pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), n)
            contents = buffer.raw.decode("utf-16-le").rstrip("\x00")
            out.append((index + 1, pdfium_c.FPDFAnnot_GetSubtype(annot), (rect.left, rect.bottom, rect.right, rect.top), contents))
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def _bounded(page, left, bottom, right, top) -> str:
    textpage = page.get_textpage()
    n = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    buffer = ctypes.create_string_buffer(n * 2 + 2)
    pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), n)
    return buffer.raw[: n * 2].decode("utf-16-le").replace("\x00", "").strip()


def test_annotated_copy_highlights_every_finding_and_leaves_the_original_alone(processed, tmp_path):
    raw, data = processed
    before = hashlib.sha256((raw / NAME).read_bytes()).hexdigest()
    summary = annotate_all(data, raw, tmp_path)
    out = annotated_path(tmp_path, NAME)
    assert summary.written == [out] and out.is_file()
    assert hashlib.sha256((raw / NAME).read_bytes()).hexdigest() == before
    findings = load(data, cache=False).findings.to_dicts()
    doc = pdfium.PdfDocument(out)
    try:
        annotations = _annotations(doc)
        assert len(annotations) == summary.notes > 0
        assert all(subtype == pdfium_c.FPDF_ANNOT_HIGHLIGHT for _, subtype, _, _ in annotations)
        # every finding with a place in the PDF is in some comment
        commented = "\n".join(c for *_, c in annotations)
        boxed = [f for f in findings if finding_marks(f, _records(data, "line_items"), _records(data, "narrative_facts"))]
        assert boxed and all(f["message"] in commented for f in boxed)
        # the error: highlighted on the prose figure of page 21 and on the table total of page 13
        errors = [(page, rect) for page, _, rect, c in annotations if c.startswith("【错误】")]
        assert sorted(page for page, _ in errors) == [13, 21]
        for page, (left, bottom, right, top) in errors:
            # the highlight reaches 1.5 pt beyond the printed text on each side
            text = _bounded(doc[page - 1], left + 2, bottom + 2, right - 2, top - 2)
            assert text in ("0.3万元", "2,961.68"), text
        # rendered: the highlight shows on the page
        page21 = doc[20]
        image = page21.render(scale=2).to_pil().convert("RGB")
        image.save(tmp_path / "page21.png")
        (rect,) = [r for p, r in errors if p == 21]
        frame = PageFrame.of_page(page21)
        x0, y0 = (rect[0] - frame.left) * 2, (frame.top - rect[3]) * 2
        x1, y1 = (rect[2] - frame.left) * 2, (frame.top - rect[1]) * 2
        pixels = image.load()
        tinted = sum(
            1 for x in range(int(x0) + 2, int(x1) - 2) for y in range(int(y0) + 2, int(y1) - 2)
            if pixels[x, y][0] > 200 and pixels[x, y][1] < 180 and pixels[x, y][2] < 180
        )
        assert tinted > (x1 - x0) * (y1 - y0) * 0.3
    finally:
        doc.close()


def test_annotate_refuses_to_overwrite_the_original(processed):
    from budgetlib.reports.annotate import Note, annotate_pdf

    raw, _ = processed
    with pytest.raises(ValueError):
        annotate_pdf(raw / NAME, raw / NAME, [Note(Mark(1, 1, 1, 2, 2), "x", "error")])
