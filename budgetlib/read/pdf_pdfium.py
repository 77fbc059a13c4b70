"""TEMPORARY: the pdfplumber page logic of :mod:`budgetlib.read.pdf` fed by pdfium (for the differential test)."""
from __future__ import annotations

from budgetlib.errors import ParseError
from budgetlib.read import pdf as _old
from budgetlib.read.lattice import find_tables
from budgetlib.read.pdf_objects import PageFrame, page_chars, page_paths


class _Table:
    def __init__(self, table, chars):
        self._t, self._chars = table, chars
        self.cells, self.rows, self.bbox = table.cells, table.rows, table.bbox

    def extract(self):
        return self._t.extract(self._chars)[0]


class _Page:
    def __init__(self, chars, rects, lines, curves):
        self.chars, self.rects, self.lines, self.curves = chars, rects, lines, curves

    def filter(self, fn):
        return _Page(self.chars, [r for r in self.rects if fn(r)], [l for l in self.lines if fn(l)], [c for c in self.curves if fn(c)])

    def find_tables(self):
        return [_Table(t, self.chars) for t in find_tables(self.rects, self.lines, self.curves)]


def read_pdf(data: bytes, file: str):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    rows = []
    chars = 0
    try:
        for page_no in range(1, len(doc) + 1):
            page = doc[page_no - 1]
            frame = PageFrame(page)
            tp = page.get_textpage()
            cs = page_chars(tp, frame)
            chars += len(cs)
            r, l, c = page_paths(page, frame)
            if cs:
                rows += _old._page_rows(_Page(cs, r, l, c), page_no, file)
    finally:
        doc.close()
    if chars == 0:
        raise ParseError("PDF没有文字层", file=file)
    return rows
