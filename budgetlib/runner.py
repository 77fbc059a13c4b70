"""Run the report notebooks for many departments: HTML, workbook and executed notebook each.

Each report is executed by papermill in a worker process (never more than the
cores), exported to one self-contained HTML file, and written under a
temporary name first, so a failing or interrupted report never replaces a
previous good one. A failing department is recorded with its error while the
others finish; ``reports/index.html`` links every report.
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .departments import departments, find_department
from .errors import ReportError
from .htmlexport import notebook_to_html, write_index
from .load import load
from .naming import safe_stem
from .report import DEPARTMENT_DIR

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass(frozen=True)
class Job:
    kind: str  # "department" or "comparison"
    title: str
    stem: str  # output path without suffix, relative to the output folder
    parameters: dict


@dataclass
class JobResult:
    job: Job
    ok: bool
    error: str = ""


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]

    def describe(self) -> str:
        lines = [f"已生成 {len(self.results) - len(self.failures)} 份报告，失败 {len(self.failures)} 份；索引 {self.out_dir / 'index.html'}"]
        lines += [f"  失败 {r.job.title}: {r.error}" for r in self.failures]
        return "\n".join(lines)


def plan_jobs(data_dir: Path, out_dir: Path, department: str | None = None, years: list[int] | None = None) -> list[Job]:
    """One job per department (or the one asked for), plus the comparison."""
    data = load(data_dir)
    chosen = [find_department(data, department)] if department else departments(data)
    common = {"data_dir": str(data_dir.resolve()), "output_dir": str(out_dir.resolve()), "years": list(years or [])}
    jobs = [
        Job("department", d.name, f"{DEPARTMENT_DIR}/{safe_stem(d.name, d.key)}", {"department": d.key, **common})
        for d in chosen
    ]
    jobs.append(Job("comparison", "部门比较", "comparison", dict(common)))
    return jobs


def execute_job(job: Job, out_dir: Path) -> JobResult:
    """Execute one report notebook with papermill and export it to HTML."""
    import papermill

    out_dir = Path(out_dir)
    target = out_dir / job.stem
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_nb = target.with_name(f".{target.name}.running.ipynb")
    template = NOTEBOOKS / f"{job.kind}.ipynb"
    try:
        papermill.execute_notebook(
            str(template), str(tmp_nb), parameters=job.parameters, progress_bar=False, log_output=False, kernel_name="python3"
        )
    except Exception as exc:  # noqa: BLE001 - the executed notebook is kept as the log
        failed = target.with_suffix(".failed.ipynb")
        if tmp_nb.exists():
            os.replace(tmp_nb, failed)
        return JobResult(job, False, _short_error(exc))
    notebook_to_html(tmp_nb, target.with_suffix(".html"), job.title)
    os.replace(tmp_nb, target.with_suffix(".ipynb"))
    target.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    return JobResult(job, True)


def _short_error(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()[:500]


def run_reports(
    data_dir: Path,
    out_dir: Path,
    department: str | None = None,
    years: list[int] | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> RunSummary:
    """Every report, in parallel worker processes, then ``index.html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = plan_jobs(data_dir, out_dir, department, years)
    workers = max(1, min(workers or os.cpu_count() or 1, os.cpu_count() or 1, len(jobs)))
    summary = RunSummary(out_dir=out_dir)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), desc="生成报告", unit="份", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(execute_job, job, out_dir): job for job in jobs}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a worker that died
                result = JobResult(futures[future], False, _short_error(exc))
            summary.results.append(result)
            if bar:
                bar.update()
    if bar:
        bar.close()
    summary.results.sort(key=lambda r: (r.job.kind != "comparison", r.job.title))
    write_index(out_dir, [_index_entry(r) for r in summary.results])
    return summary


def _index_entry(result: JobResult) -> tuple:
    stem = result.job.stem
    if not result.ok:
        return (result.job.title, None, None, f"失败：{result.error}（执行记录：{stem}.failed.ipynb）")
    return (result.job.title, f"{stem}.html", f"{stem}.xlsx", "成功")


def check_department_exists(data_dir: Path, department: str) -> None:
    find_department(load(data_dir), department)


__all__ = ["Job", "JobResult", "RunSummary", "ReportError", "execute_job", "plan_jobs", "run_reports"]
