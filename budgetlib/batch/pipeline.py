"""The batch jobs behind the command line: parse a folder into the processed tables."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from budgetlib.vocab.contract import CHECK_TABLES, SCHEMAS
from budgetlib.batch.limits import Limits
from budgetlib.batch.parse_batch import Failure, parse_paths
from budgetlib.errors import ParseError
from budgetlib.batch.pools import in_child
from budgetlib.store.write import TableWriter

if TYPE_CHECKING:
    from budgetlib.reports.annotate import AnnotateSummary
    from budgetlib.batch.runner import ReportSummary


@dataclass
class ParseSummary:
    parsed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    out_dir: Path | None = None

    def describe(self) -> str:
        lines = [f"已解析 {len(self.parsed)} 份文档，失败 {len(self.failures)} 份；输出目录 {self.out_dir}"]
        lines += [f"  {name}: {n} 行" for name, n in sorted(self.counts.items())]
        for f in self.failures:
            where = f"{f.source_file}:{f.line}" if f.line else f.source_file
            lines.append(f"  失败 {where}: {f.message}")
        return "\n".join(lines)


def parse_to(
    paths: list[Path], out_dir: Path, progress: bool = False, workers: int | None = 1, limits: Limits | None = None
) -> ParseSummary:
    """Parse every document under ``paths`` and write all processed tables to ``out_dir``.

    Rows stream into a :class:`~budgetlib.store.write.TableWriter` as each document is
    parsed, so memory stays flat however many documents there are. ``workers``:
    parsing processes (``None``: one per core); ``limits``: what one document may take
    (default :class:`~budgetlib.batch.limits.Limits`). The run is a new generation of
    ``out_dir`` made current at the end in one step, with an empty ``findings`` table
    (``check`` fills it).
    """
    summary = ParseSummary(out_dir=out_dir)
    with TableWriter(out_dir, list(SCHEMAS)) as writer:
        for result in parse_paths(paths, progress=progress, workers=workers, limits=limits):
            if not isinstance(result, Failure):
                try:
                    writer.add_document(result.source_file, result.records)
                except ParseError as exc:
                    result = Failure(result.source_file, exc.line, type(exc).__name__, exc.message)
            if isinstance(result, Failure):
                summary.failures.append(result)
                writer.add(
                    "parse_errors",
                    [{"source_file": result.source_file, "source_line": result.line, "error": result.error, "message": result.message}],
                )
                continue
            summary.parsed.append(result.source_file)
    summary.counts = {name: n for name, n in writer.counts.items() if name not in CHECK_TABLES}
    return summary


#: Documents whose errors `budgetlib run` lists in full (a batch of thousands would bury the summary).
ERRORS_LISTED = 20


@dataclass
class RunSummary:
    """What the main job did: each step's summary, as it finished, and the time each took."""

    parsed: ParseSummary | None = None
    #: The errors found by the checks, as text (documents with an error only, the first ones in full).
    errors: str | None = None
    reports: "ReportSummary | None" = None
    annotated: "AnnotateSummary | None" = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        if self.parsed is None or not self.parsed.parsed:
            return 1
        return 1 if self.parsed.failures or (self.reports and self.reports.failures) else 0

    def describe_time(self) -> str:
        parts = [f"{step} {seconds:.1f} 秒" for step, seconds in self.seconds.items()]
        return f"用时：{'，'.join(parts)}，合计 {sum(self.seconds.values()):.1f} 秒"


def run_all(
    raw: Path, data_dir: Path, out_dir: Path, workers: int | None = None, progress: bool = True,
    scheduler: str | None = None, on_step: Callable[[str], None] = lambda text: None, limits: Limits | None = None,
) -> RunSummary:
    """parse, check, report and annotate: the project's main job.

    Returns what each step did; ``on_step`` is handed each step's summary text as soon
    as the step ends (the command line prints it), since the reports can take a while.
    """
    from budgetlib.batch.runner import run_reports
    from budgetlib.reports.annotate import annotate_all

    # Parse and check each run in a child process, so the memory they take is given back
    # before the report workers start (at a thousand departments, several hundred MB).
    run = RunSummary()
    run.parsed = _timed(run, "解析", in_child, parse_to, [raw], data_dir, progress=progress, workers=workers, limits=limits)
    on_step(run.parsed.describe())
    if not run.parsed.parsed:
        return run
    # The main job lists errors only, of the first documents; `budgetlib check` shows every finding.
    run.errors = _timed(run, "审核", in_child, _check_summary, data_dir)
    on_step(run.errors + "\n（全部审核发现见 `budgetlib check` 或各报告的“审核发现”部分）")
    run.reports = _timed(run, "报告", run_reports, data_dir, out_dir, workers=workers, progress=progress, scheduler=scheduler, raw_dir=raw)
    on_step(run.reports.describe())
    # Copies of the PDFs with every finding marked on its cells, to send to the departments.
    run.annotated = _timed(run, "标注", in_child, annotate_all, data_dir, raw, out_dir)
    on_step(run.annotated.describe())
    on_step(run.describe_time())
    return run


def _timed(run: RunSummary, step: str, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, its wall time kept in ``run.seconds[step]``."""
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    finally:
        run.seconds[step] = time.perf_counter() - start


def _check_summary(data_dir: Path) -> str:
    from budgetlib.checks.printing import describe

    text = describe(check_to(data_dir), severities=("error",), limit=ERRORS_LISTED)
    return text + _reviews_line(data_dir)


def _reviews_line(data_dir: Path) -> str:
    """A line on the auditors' marks kept beside the data (none: nothing)."""
    from budgetlib.store.review_list import review_rows

    rows = review_rows(data_dir)
    if not rows:
        return ""
    stale = sum(1 for r in rows if not r["current"])
    return f"\n审核标记 {len(rows)} 条均已保留，其中已失效 {stale} 条（见 `budgetlib review list`）"


def _sha256_of(documents: pl.DataFrame) -> dict[str, str]:
    """doc_id -> the document's SHA-256, which its findings' ids are built on."""
    return dict(documents.select("doc_id", "sha256").iter_rows())


def _identified(found: list, sha256_of: dict[str, str]) -> list[dict]:
    """The findings' records with their stable ids (set on the findings too, for printing)."""
    from budgetlib.checks.finding_ids import with_ids

    records = with_ids([f.record() for f in found], sha256_of)
    for f, r in zip(found, records):
        f.finding_id = r["finding_id"]
    return records


#: Documents checked at a time: memory holds one batch's tables, however many documents there are.
CHECK_BATCH = 200


def check_to(data_dir: Path):
    """Run every audit check on the processed tables in ``data_dir`` and write ``findings`` there.

    Documents are checked :data:`CHECK_BATCH` at a time (the checks across documents
    read the ``documents`` table only), and findings stream to disk, so the tables
    are never all in memory. The findings make a new generation with the tables they
    were found in, under the folder's lock. Returns a :class:`budgetlib.checks.printing.CheckRun`.
    Raises :class:`budgetlib.errors.DataError` when ``data_dir`` holds no parsed data.
    """
    from budgetlib.checks import Finding, dataset_findings, document_findings
    from budgetlib.checks.printing import CheckRun
    from budgetlib.store import generations
    from budgetlib.store.load import Dataset, batches

    data_dir = Path(data_dir)
    findings: list[Finding] = []
    with TableWriter(data_dir, list(CHECK_TABLES)) as writer:
        for batch in batches(data_dir, CHECK_BATCH):  # raises DataError where nothing was parsed
            found = sorted(document_findings(batch), key=Finding.sort_key)
            writer.add("findings", _identified(found, _sha256_of(batch.documents)))
            findings += found
        documents = pl.read_parquet(generations.current(data_dir) / "documents.parquet")
        sha256_of = _sha256_of(documents)
        found = sorted(dataset_findings(Dataset(data_dir, {"documents": documents})), key=Finding.sort_key)
        writer.add("findings", _identified(found, sha256_of))
    by_id = {d["doc_id"]: d for d in documents.to_dicts()}
    return CheckRun(sorted([*findings, *found], key=Finding.sort_key), by_id, data_dir)
