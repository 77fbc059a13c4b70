"""Annotated copies of the PDFs: every finding highlighted where it is printed, with a comment in Chinese.

In: the processed tables (``documents``, ``findings`` and the boxes of ``line_items``
and ``narrative_facts``) and the folder of original documents. Out: for each PDF
with findings, a copy under ``<out>/annotated/`` with a highlight annotation on
every cell a finding is about (:func:`~budgetlib.reports.evidence.finding_marks`)
and the finding as its comment (``【错误】…``), ready to send to the department.
The original is read and never written; a copy whose original has changed since
``parse`` (another SHA-256) is not made.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budgetlib.reports.evidence import Mark, find_original, finding_marks

ANNOTATED_DIR = "annotated"
AUTHOR = "budgetlib 审核"
SUFFIX = "_审核标注.pdf"
#: Highlight colours (light, the text stays legible under them) by severity.
HIGHLIGHTS = {"error": "ff8080", "warning": "ffc04d", "rounding": "fff066", "info": "99c2ff"}
_ORDER = {"error": 0, "warning": 1, "rounding": 2, "info": 3}


@dataclass
class Note:
    """One annotation: where (a mark), what (the comment) and how serious."""

    mark: Mark
    comment: str
    severity: str


@dataclass
class AnnotateSummary:
    written: list[Path] = field(default_factory=list)
    notes: int = 0
    #: ``(source_file, why)`` of the PDFs with findings that could not be annotated.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"已生成 {len(self.written)} 份标注PDF（共 {self.notes} 处标注）"]
        lines += [f"  未标注 {name}：{why}" for name, why in self.skipped]
        return "\n".join(lines)


def annotate_pdf(original: Path, out: Path, notes: list[Note]) -> int:
    """Write a copy of ``original`` to ``out`` with a highlight and comment per note; return how many were placed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

    from budgetlib.read.pdf_objects import PageFrame

    if out.resolve() == Path(original).resolve():
        raise ValueError("标注副本不能覆盖原文件")
    reader = PdfReader(str(original))
    writer = PdfWriter(clone_from=reader)
    placed = 0
    for note in notes:
        index = note.mark.page - 1
        if not 0 <= index < len(writer.pages):
            continue
        page = writer.pages[index]
        # the box pdfium measured the text in: the media box cut to the crop box
        media, crop = page.mediabox, page.cropbox
        box = (
            max(float(media.left), float(crop.left)),
            max(float(media.bottom), float(crop.bottom)),
            min(float(media.right), float(crop.right)),
            min(float(media.top), float(crop.top)),
        )
        frame = PageFrame(box, page.rotation)
        pad = 1.5
        left, bottom, right, top = frame.user_box(note.mark.x0 - pad, note.mark.y0 - pad, note.mark.x1 + pad, note.mark.y1 + pad)
        quad = ArrayObject(FloatObject(v) for v in (left, top, right, top, left, bottom, right, bottom))
        annotation = Highlight(rect=(left, bottom, right, top), quad_points=quad, highlight_color=HIGHLIGHTS.get(note.severity, HIGHLIGHTS["error"]))
        annotation[NameObject("/Contents")] = TextStringObject(note.comment)
        annotation[NameObject("/T")] = TextStringObject(AUTHOR)
        annotation[NameObject("/F")] = NumberObject(4)  # print it
        writer.add_annotation(page_number=index, annotation=annotation)
        placed += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return placed


def document_notes(finding_rows: list[dict], items: list[dict], facts: list[dict]) -> list[Note]:
    """One note per cell that findings are about, its comment every such finding, most serious first
    (findings without a box are left out)."""
    from budgetlib.vocab.contract import SEVERITY_LABELS

    by_mark: dict[Mark, list[dict]] = {}
    for f in finding_rows:
        for mark in finding_marks(f, items, facts):
            by_mark.setdefault(mark, []).append(f)
    notes = []
    for mark, found in by_mark.items():
        found.sort(key=lambda f: _ORDER.get(f["severity"], 9))
        comment = "\n".join(
            f"【{SEVERITY_LABELS.get(f['severity'], f['severity'])}】{f['message'] or ''}（审核规则：{f['check']}）" for f in found
        )
        notes.append(Note(mark, comment, found[0]["severity"]))
    return notes


def annotated_path(out_dir: Path, source_file: str) -> Path:
    """Where the annotated copy of ``source_file`` goes: its folders kept under ``<out>/annotated``."""
    rel = Path(source_file)
    return Path(out_dir) / ANNOTATED_DIR / rel.parent / f"{rel.stem}{SUFFIX}"


def annotate_all(data_dir: Path, raw_dir: Path, out_dir: Path, severities: tuple[str, ...] | None = None) -> AnnotateSummary:
    """An annotated copy of every parsed PDF with findings (of ``severities``; default all)."""
    import polars as pl

    from budgetlib.store.load import load

    data = load(Path(data_dir), cache=False)
    summary = AnnotateSummary()
    if "findings" not in data.names:
        return summary
    findings = data.findings
    if severities:
        findings = findings.filter(pl.col("severity").is_in(list(severities)))
    frames = {name: data[name] for name in ("line_items", "narrative_facts") if name in data.names}
    for doc in data.documents.filter(pl.col("source_format") == "pdf").to_dicts():
        rows = findings.filter(pl.col("doc_id") == doc["doc_id"]).to_dicts()
        if not rows:
            continue
        boxed = all("page" in frame.columns for frame in frames.values())
        records = {
            name: frame.filter(pl.col("doc_id") == doc["doc_id"]).to_dicts() if boxed else []
            for name, frame in frames.items()
        }
        notes = document_notes(rows, records.get("line_items", []), records.get("narrative_facts", []))
        if not notes:
            why = "审核发现均不指向具体数字（如缺表、缺栏）" if boxed else "数据中没有页面位置（请用当前版本重新运行 budgetlib parse）"
            summary.skipped.append((doc["source_file"], why))
            continue
        original = find_original(raw_dir, doc["source_file"], doc.get("sha256"))
        if original is None:
            summary.skipped.append((doc["source_file"], "原文件不在原始文件夹中或已被修改"))
            continue
        out = annotated_path(out_dir, doc["source_file"])
        summary.notes += annotate_pdf(original, out, notes)
        summary.written.append(out)
    return summary
