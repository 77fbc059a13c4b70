"""The pdfium reader against the pdfplumber reader it replaced, over every real published PDF.

For each PDF under ``../shared/real/`` (recursively), both readers read the
bytes: the rows (every cell's text, source line and merged-cell mark) must be
the same, and so must everything ``parse_bytes`` makes of them — line items,
prose facts, document tables, every other record — or the same ParseError where
a document fails (some fail today for table-mapping reasons, and must keep
failing the same way). Only the box columns are new, so they are left out of the
comparison (tests/read/test_pdf_boxes.py checks them against the page).

The reference reader (tests/read/pdfplumber_reference.py) needs pdfplumber, a
development dependency; the test is skipped without it or without the real
documents.
"""
from __future__ import annotations

import pytest

from budgetlib.errors import ParseError
from budgetlib.extract.document import parse_bytes
from budgetlib.read import pdf as pdfium_reader
from budgetlib.read.rows import BOX_COLUMNS
from conftest import SHARED_REAL

pytest.importorskip("pdfplumber")
import pdfplumber_reference  # noqa: E402

PDFS = sorted(SHARED_REAL.rglob("*.pdf")) if SHARED_REAL.is_dir() else []


def _rows(rows):
    return [(r.is_table, tuple((c.text, c.line, c.merged_from) for c in r.cells)) for r in rows]


def _records(data: bytes, name: str, read_pdf, monkeypatch) -> dict | str:
    monkeypatch.setattr(pdfium_reader, "read_pdf", read_pdf)
    try:
        parsed = parse_bytes(data, name)
    except ParseError as err:
        return f"ParseError: {err}"
    return {
        table: [{k: v for k, v in rec.items() if k not in BOX_COLUMNS} for rec in recs]
        for table, recs in parsed.records.items()
    }


def test_there_are_real_pdfs_to_compare():
    if not PDFS:
        pytest.skip(f"{SHARED_REAL} is absent: real published documents are third-party and not in the repository")
    assert len(PDFS) >= 14


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_pdfium_reads_the_same_rows_as_pdfplumber(path):
    data = path.read_bytes()
    old = _rows(pdfplumber_reference.read_pdf(data, path.name))
    new = _rows(pdfium_reader.read_pdf(data, path.name))
    assert new == old


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_pdfium_gives_the_same_records_or_the_same_failure(path, monkeypatch):
    data = path.read_bytes()
    name = path.relative_to(SHARED_REAL).as_posix()
    new = _records(data, name, pdfium_reader.read_pdf, monkeypatch)
    old = _records(data, name, pdfplumber_reference.read_pdf, monkeypatch)
    assert new == old
