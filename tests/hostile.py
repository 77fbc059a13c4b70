"""Hostile documents, built by the tests themselves (nothing binary is committed).

Each builder writes one file under ``folder`` and returns its path: decompression and
grid bombs in each Office format and in PDF, and a text document that repeats rows.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from conftest import seed_path


def xlsx_far_cell(folder: Path, name: str = "far_cell.xlsx") -> Path:
    """A few-KB workbook with cells at A1 and XFD1048576: a grid of 17 billion positions."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "部门预算收支总表"
    sheet["XFD1048576"] = 1
    path = folder / name
    book.save(path)
    return path


def xlsx_inflating(folder: Path, name: str = "inflating.xlsx", megabytes: int = 300) -> Path:
    """A small workbook whose sheet inflates to ``megabytes`` of rows."""
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * (1024 * 1024 // len(row))
    path = folder / name
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(megabytes):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return path


def docx_wide_span(folder: Path, name: str = "wide_span.docx", span: int = 50_000_000) -> Path:
    """A small Word file whose one table cell spans ``span`` columns."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("部门预算收支总表")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "项目"
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), str(span))
    cell._tc.get_or_add_tcPr().append(grid_span)
    path = folder / name
    document.save(path)
    return path


def pdf_inflating(folder: Path, name: str = "inflating.pdf", megabytes: int = 1024) -> Path:
    """A one-page PDF whose content stream inflates to ``megabytes`` (about 1 MB on disk)."""
    packer = zlib.compressobj(9)
    chunk = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * (1024 * 1024 // 34)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = folder / name
    path.write_bytes(bytes(out))
    return path


def repeated_rows(folder: Path, name: str = "repeated_rows.txt") -> Path:
    """Sample 000 with the first data row of its 收支总表 printed three times."""
    lines = seed_path("000").read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("1\t一、一般公共预算拨款收入"))
    lines[first + 1:first + 1] = [lines[first], lines[first]]
    path = folder / name
    path.write_text("".join(lines), encoding="utf-8")
    return path
