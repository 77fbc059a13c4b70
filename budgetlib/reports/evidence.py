"""Where a finding is printed: the boxes of its cells and a picture of the page around them.

In: a finding (a row of ``findings``) and the boxes of the document's numbers
(``line_items`` and ``narrative_facts``, PDF only: ``page``, ``x0``…``y1``). Out:
:func:`finding_marks`, the :class:`Mark` of every cell the finding is about — the
cell it names by table, row and column, the figures on its source line, and the
prose lines its message quotes (``第21页第14行``); :func:`crop_png`, a crop of
the page rendered by pdfium with those cells boxed in red; and :func:`find_original`,
the original PDF under the raw folder (checked by its SHA-256, so a file changed
since ``parse`` is never shown as the evidence).

The original files are only read, never written.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budgetlib.read.rows import BOX_COLUMNS
from budgetlib.vocab.sources import PAGE_LINES

#: ``第21页第14行`` in a finding's message: a prose line it quotes.
_PLACE = re.compile(r"第(\d+)页第(\d+)行")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
#: Page space (pt) kept around the boxed cells in a crop.
MARGIN = 28.0
#: Rendering scale of crops (2: 144 dpi).
SCALE = 2.0
#: Box colour (RGB) by severity.
COLOURS = {"error": (220, 30, 30), "warning": (230, 140, 0), "rounding": (200, 170, 0), "info": (40, 110, 220)}


@dataclass(frozen=True)
class Mark:
    """A printed cell to box: its page and box (PDF points from the page's top-left)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


def _mark(rec: dict) -> Mark | None:
    if any(rec.get(k) is None for k in BOX_COLUMNS):
        return None
    return Mark(int(rec["page"]), float(rec["x0"]), float(rec["y0"]), float(rec["x1"]), float(rec["y1"]))


def finding_marks(finding: dict, items: list[dict], facts: list[dict]) -> list[Mark]:
    """The cells a finding is about, as marks; ``items``/``facts`` are the document's line items and prose facts.

    Empty when the document was not read from a PDF (or was parsed before boxes were kept).
    """
    marks: list[Mark] = []

    def add(rec: dict) -> None:
        mark = _mark(rec)
        if mark is not None and mark not in marks:
            marks.append(mark)

    table, row_no, col_no, line = (finding.get(k) for k in ("table", "row_no", "col_no", "source_line"))
    if table and row_no is not None:
        for it in items:
            if it["table"] == table and it["row_no"] == row_no and (col_no is None or it["col_no"] == col_no):
                add(it)
    lines = {line} if line is not None else set()
    lines |= {int(p) * PAGE_LINES + int(r) for p, r in _PLACE.findall(finding.get("message") or "")}
    values = _values(finding)
    for ln in lines:
        at_line = [f for f in facts if f.get("source_line") == ln]
        matching = [f for f in at_line if f.get("value") is not None and Decimal(str(f["value"])) in values]
        # a figure the prose states, before one derived from it (which points at its source's box)
        stated = [f for f in matching if not f.get("is_derived")]
        for f in stated or matching or at_line:
            add(f)
        if not marks or ln == line:
            for it in items:
                if it.get("source_line") == ln and (col_no is None or it["col_no"] == col_no) and it["table"] == table:
                    add(it)
    return marks


def _values(finding: dict) -> set[Decimal]:
    """The amounts a finding names: expected, actual and the numbers quoted in its message."""
    out = {Decimal(str(finding[k])) for k in ("expected", "actual") if finding.get(k) is not None}
    for text in _NUMBER.findall(finding.get("message") or ""):
        try:
            out.add(Decimal(text.replace(",", "")))
        except ArithmeticError:  # pragma: no cover - the pattern only matches numbers
            continue
    return out


def find_original(raw_dir: Path | None, source_file: str, sha256: str | None) -> Path | None:
    """The original file ``source_file`` under ``raw_dir``, if it is still the file that was parsed."""
    if raw_dir is None:
        return None
    raw_dir = Path(raw_dir)
    path = raw_dir / source_file if raw_dir.is_dir() else raw_dir.parent / source_file
    if not path.is_file():
        return None
    if sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        return None
    return path


def crop_png(pdf: bytes | Path, page: int, marks: list[Mark], colour=(220, 30, 30), scale: float = SCALE) -> bytes:
    """PNG of the page band around ``marks`` (all on ``page``), each boxed, rendered by pdfium.

    The crop keeps the page's whole width (a row is read across) and :data:`MARGIN`
    above and below the marks.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    doc = pdfium.PdfDocument(pdf)
    try:
        pdf_page = doc[page - 1]
        image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        pdf_page.close()
    finally:
        doc.close()
    draw = ImageDraw.Draw(image)
    pad = 2.0
    for m in marks:
        box = [(m.x0 - pad) * scale, (m.y0 - pad) * scale, (m.x1 + pad) * scale, (m.y1 + pad) * scale]
        draw.rectangle(box, outline=colour, width=max(2, int(scale * 1.5)))
    top = max(0.0, min(m.y0 for m in marks) - MARGIN) * scale
    bottom = min(image.height, (max(m.y1 for m in marks) + MARGIN) * scale)
    out = io.BytesIO()
    image.crop((0, int(top), image.width, int(bottom))).save(out, format="PNG", optimize=True)
    return out.getvalue()


# -- the report section --------------------------------------------------------------------------


@dataclass
class Shown:
    """One finding with the page crops that show it."""

    title: str
    message: str
    images: list[tuple[str, bytes]]  # (caption, PNG)
    note: str = ""


def findings_evidence(data, doc_ids: list[str], raw_dir: Path | None, severities=("error",)) -> list[Shown]:
    """Each finding of ``severities`` in a PDF among ``doc_ids``, with crops of its cells on their pages."""
    from budgetlib.analysis.lookups import table_or_empty
    from budgetlib.vocab.contract import SEVERITY_LABELS
    from budgetlib.vocab.tables import TABLES_BY_KEY

    findings = table_or_empty(data, "findings")
    if findings.is_empty():
        return []
    docs = {d["doc_id"]: d for d in data.documents.to_dicts() if d["doc_id"] in doc_ids}
    shown: list[Shown] = []
    for doc_id, doc in docs.items():
        if doc.get("source_format") != "pdf":
            continue
        rows = findings.filter((findings["doc_id"] == doc_id) & findings["severity"].is_in(list(severities)))
        if rows.is_empty():
            continue
        items = _records(data, "line_items", doc_id)
        facts = _records(data, "narrative_facts", doc_id)
        original = find_original(raw_dir, doc["source_file"], doc.get("sha256"))
        for f in rows.to_dicts():
            table = TABLES_BY_KEY[f["table"]].name if f["table"] in TABLES_BY_KEY else (f["table"] or "")
            where = f"第{f['row_no']}行第{f['col_no']}栏" if f.get("row_no") is not None and f.get("col_no") is not None else ""
            title = f"{SEVERITY_LABELS.get(f['severity'], f['severity'])}：{doc['source_file']} {table}{where}"
            marks = finding_marks(f, items, facts)
            item = Shown(title, f["message"] or "", [])
            if not marks:
                item.note = "没有该处的页面位置（请用当前版本重新运行 budgetlib parse）"
            elif original is None:
                item.note = f"原文件 {doc['source_file']} 不在原始文件夹中或已被修改，无法显示页面截图"
            else:
                colour = COLOURS.get(f["severity"], COLOURS["error"])
                for page in sorted({m.page for m in marks}):
                    on_page = [m for m in marks if m.page == page]
                    item.images.append((f"第{page}页", crop_png(original, page, on_page, colour)))
            shown.append(item)
    return shown


def _records(data, name: str, doc_id: str) -> list[dict]:
    from budgetlib.analysis.lookups import table_or_empty

    frame = table_or_empty(data, name)
    if frame.is_empty() or "page" not in frame.columns:
        return []
    return frame.filter(frame["doc_id"] == doc_id).to_dicts()


@dataclass
class Evidence:
    """The report section showing each error on its page (every text escaped, images inline)."""

    shown: list[Shown]

    def _repr_html_(self) -> str:
        import base64
        import html

        if not self.shown:
            return '<p class="note">PDF 文件中没有“错误”级别的审核发现。</p>'
        parts = []
        for s in self.shown:
            parts.append(f"<h4>{html.escape(s.title)}</h4><p>{html.escape(s.message)}</p>")
            if s.note:
                parts.append(f'<p class="note">{html.escape(s.note)}</p>')
            for caption, png in s.images:
                data = base64.b64encode(png).decode("ascii")
                parts.append(
                    f'<figure><img alt="{html.escape(caption)}" style="max-width:100%;border:1px solid #ccc" '
                    f'src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}（红框为该项所在位置）</figcaption></figure>'
                )
        return '<div class="evidence">' + "".join(parts) + "</div>"
