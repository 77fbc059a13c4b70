"""The auditor's review of findings, kept apart from everything ``parse`` and ``check`` write.

An auditor marks findings 已核实 (confirmed), 误报 (false alarm) or 待查 (to look into),
with a note and a name, in the 审核发现 sheet of a workbook or in a CSV with the same
columns. :func:`import_reviews` reads such a file into ``DATA_DIR/reviews/reviews.parquet``;
a later import of the same finding replaces its mark, the marks of other findings stay.
``parse`` and ``check`` never write into ``reviews/``: re-running them loses no mark.
A mark refers to a finding by its stable ``finding_id``
(:mod:`budgetlib.checks.finding_ids`); a mark whose finding no longer occurs is kept
and listed as stale (:func:`stale_reviews`).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from budgetlib.errors import DataError
from budgetlib.store.files import atomic_path

REVIEWS_DIR = "reviews"
REVIEWS_FILE = "reviews.parquet"
#: The marks an auditor may give, and what each means.
STATUSES = {"已核实": "确属问题", "误报": "不是问题", "待查": "尚需核查"}
#: Marks after which a finding is no longer open.
CLOSED = ("已核实", "误报")
#: What the reports write in 审核状态 for a finding without a mark (read back as no mark).
UNREVIEWED = "未审核"
#: The columns an auditor fills in, as the workbook and the CSV name them.
ID_COLUMN, STATUS_COLUMN, NOTE_COLUMN, REVIEWER_COLUMN = "发现编号", "审核状态", "审核说明", "审核人"
REVIEW_COLUMNS = (STATUS_COLUMN, NOTE_COLUMN, REVIEWER_COLUMN)
#: The English column names ``budgetlib check --format csv`` writes, read as their Chinese ones.
ALIASES = {"finding_id": ID_COLUMN, "status": STATUS_COLUMN, "note": NOTE_COLUMN, "reviewer": REVIEWER_COLUMN, "message": "说明"}
#: The sheet of a workbook the marks are read from.
FINDINGS_SHEET = "审核发现"

SCHEMA = pa.schema(
    [
        ("finding_id", pa.string()),
        ("status", pa.string()),
        ("note", pa.string()),
        ("reviewer", pa.string()),
        ("reviewed_at", pa.string()),
        ("imported_from", pa.string()),
        # What the finding said when it was marked, so a stale mark can still be read.
        ("message", pa.string()),
    ]
)


def reviews_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / REVIEWS_DIR / REVIEWS_FILE


def load_reviews(data_dir: str | Path | None) -> pl.DataFrame:
    """Every mark kept for ``data_dir`` (empty when there is none)."""
    path = reviews_path(data_dir) if data_dir is not None else None
    if path is None or not path.is_file():
        return pl.from_arrow(SCHEMA.empty_table())
    return pl.read_parquet(path)


def review_of(data_dir: str | Path | None) -> dict[str, dict]:
    """finding_id -> its mark (status, note, reviewer …)."""
    return {r["finding_id"]: r for r in load_reviews(data_dir).iter_rows(named=True)}


def read_marks(path: str | Path) -> list[dict]:
    """The marked rows of a reviewed workbook (its 审核发现 sheet) or CSV: rows without a
    审核状态 are skipped. Raises :class:`DataError` for a file without the columns or an
    unknown status."""
    path = Path(path)
    if not path.is_file():
        raise DataError("找不到文件", file=str(path))
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    marks = []
    for line, row in rows:
        row = {ALIASES.get(k, k): v for k, v in row.items()}
        status = _text(row.get(STATUS_COLUMN))
        if status in ("", UNREVIEWED):
            continue
        if status not in STATUSES:
            raise DataError(f"审核状态“{status}”无效，应为 {'、'.join(STATUSES)} 之一", file=path.name, line=line)
        finding = _text(row.get(ID_COLUMN))
        if not finding:
            raise DataError("有审核状态但没有发现编号", file=path.name, line=line)
        marks.append(
            {
                "finding_id": finding,
                "status": status,
                "note": _text(row.get(NOTE_COLUMN)),
                "reviewer": _text(row.get(REVIEWER_COLUMN)),
                "message": _text(row.get("说明")),
            }
        )
    return marks


def import_reviews(path: str | Path, data_dir: str | Path) -> int:
    """Read the marks of ``path`` into ``data_dir``'s reviews; return how many were read.

    A mark replaces the earlier mark of the same finding; the others are kept."""
    marks = read_marks(path)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for m in marks:
        m.update(reviewed_at=now, imported_from=Path(path).name)
    kept = load_reviews(data_dir).filter(~pl.col("finding_id").is_in([m["finding_id"] for m in marks]))
    table = pa.concat_tables([kept.to_arrow().cast(SCHEMA), pa.Table.from_pylist(marks, schema=SCHEMA)])
    target = reviews_path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        pq.write_table(table.sort_by([("finding_id", "ascending")]), tmp)
    return len(marks)


def stale_reviews(data_dir: str | Path, findings: pl.DataFrame) -> pl.DataFrame:
    """The marks whose finding no longer occurs in ``findings``."""
    current = findings["finding_id"].to_list() if "finding_id" in findings.columns else []
    return load_reviews(data_dir).filter(~pl.col("finding_id").is_in(current))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _csv_rows(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield line, row


def _xlsx_rows(path: Path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if FINDINGS_SHEET not in book.sheetnames:
        raise DataError(f"没有“{FINDINGS_SHEET}”工作表", file=path.name)
    rows = book[FINDINGS_SHEET].iter_rows(values_only=True)
    header, start = None, 0
    for start, values in enumerate(rows, start=1):  # the header row is the one naming 发现编号
        if values and ID_COLUMN in values:
            header = [_text(v) for v in values]
            break
        if start > 10:
            break
    if header is None:
        raise DataError(f"“{FINDINGS_SHEET}”工作表没有“{ID_COLUMN}”列", file=path.name)
    for line, values in enumerate(rows, start=start + 1):
        yield line, dict(zip(header, values))
    book.close()
