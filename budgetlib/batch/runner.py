"""Run the report notebooks for many departments: HTML, workbook and executed notebook each.

Each report is executed by papermill and exported to one self-contained HTML
file. A run writes into a new generation of the reports folder, published whole at
the end (:mod:`budgetlib.batch.report_output`), so a failing or interrupted report
never replaces a previous good one and two runs never mix. A failing department is
recorded with its error while the others finish; ``reports/index.html`` links every
report.

Where the reports run:

- **locally** (the default): a pool of worker processes, never more than the
  cores. Each worker keeps one warm Jupyter kernel (:mod:`budgetlib.batch.kernels`)
  and runs its departments through it one after another, the kernel reset
  between departments, so the cost of starting Python and importing the
  libraries is paid once per worker instead of once per department.
- **on a Dask distributed cluster** (``scheduler="tcp://host:8786"``): the same
  jobs are handed to the cluster's workers, each worker thread with its own
  warm kernel. Workers must have budgetlib installed and see ``data_dir`` and
  the report folder at the same paths (a shared file system).

``engine="fresh"`` runs each notebook in a new kernel, as papermill does by
default; it is kept for comparison (``make bench``) and as a fallback.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from budgetlib import config, faults
from budgetlib.errors import ReportError
from budgetlib.batch.pools import spawn_pool
from budgetlib.batch.report_output import carry_previous, report_generation
from budgetlib.reports.html import notebook_to_html, write_index
from budgetlib.reports.naming import DEPARTMENT_DIR, report_stem, safe_stem, with_ext
from budgetlib.store.files import atomic_path, temp_name

#: The report notebooks, shipped inside the package (so a wheel can write reports).
NOTEBOOKS = resources.files("budgetlib.reports") / "notebooks"

#: engine option -> papermill engine name (``budgetlib-warm``: the ``papermill.engine`` entry point in pyproject.toml).
ENGINES = {"warm": "budgetlib-warm", "fresh": "nbclient"}


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
    #: Wall time of the notebook and its HTML export, and where it ran (host:pid).
    seconds: float = 0.0
    worker: str = ""


@dataclass
class ReportSummary:
    results: list[JobResult] = field(default_factory=list)
    out_dir: Path | None = None

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]

    def describe(self) -> str:
        lines = [f"已生成 {len(self.results) - len(self.failures)} 份报告，失败 {len(self.failures)} 份；索引 {self.out_dir / 'index.html'}"]
        lines += [f"  失败 {r.job.title}: {r.error}" for r in self.failures]
        return "\n".join(lines)


def plan_jobs(
    data_dir: Path, out_dir: Path, department: str | None = None, years: list[int] | None = None, raw_dir: Path | None = None
) -> list[Job]:
    """One job per department (or the one asked for), plus the comparison."""
    # Imported here: worker processes only run notebooks and need none of the report code.
    from budgetlib.analysis.departments import departments, find_department
    from budgetlib.store.load import load

    data = load(data_dir, cache=False)  # this process only plans: keep nothing
    chosen = [find_department(data, department)] if department else departments(data)
    common = {"data_dir": str(data_dir.resolve()), "output_dir": str(out_dir.resolve()), "years": list(years or [])}
    # The department reports show each error on its PDF page: they read the originals (never write them).
    raw = {"raw_dir": str(Path(raw_dir).resolve())} if raw_dir is not None else {}
    jobs = [
        Job("department", d.name, f"{DEPARTMENT_DIR}/{report_stem(d.name, d.key, years or ())}", {"department": d.key, **common, **raw})
        for d in chosen
    ]
    jobs.append(Job("comparison", "部门比较", "comparison", dict(common)))
    return jobs


def execute_job(job: Job, out_dir: Path, engine: str = "warm") -> JobResult:
    """Execute one report notebook with papermill and export it to HTML.

    With ``engine="warm"`` (the default) the notebook runs in this thread's warm
    kernel, started on first use; ``"fresh"`` starts a kernel for this notebook only.
    """
    import papermill

    started = time.perf_counter()
    worker = f"{os.uname().nodename}:{os.getpid()}"
    out_dir = Path(out_dir)
    target = out_dir / job.stem
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique (never shared with another run or job), and ending in .ipynb as papermill expects.
    running = temp_name(with_ext(target, ".ipynb"), suffix=".running.ipynb")
    try:
        # A failed notebook is kept as the log (.failed.ipynb); a good one replaces the last.
        with atomic_path(with_ext(target, ".ipynb"), temp=running, failed=with_ext(target, ".failed.ipynb")) as tmp_nb:
            with resources.as_file(NOTEBOOKS / f"{job.kind}.ipynb") as template:
                executed = papermill.execute_notebook(
                    str(template), str(tmp_nb), parameters=job.parameters, engine_name=ENGINES[engine],
                    progress_bar=False, log_output=False, kernel_name="python3",
                    # Saved when done (or failed), not after every cell: each save re-validates the whole notebook.
                    request_save_on_cell_execute=False,
                )
            notebook_to_html(executed, with_ext(target, ".html"), job.title)  # as written to tmp_nb, not read back
            faults.point(f"report:{job.kind}")
    except Exception as exc:  # noqa: BLE001 - the executed notebook is kept as the log
        return JobResult(job, False, _short_error(exc), time.perf_counter() - started, worker)
    with_ext(target, ".failed.ipynb").unlink(missing_ok=True)
    return JobResult(job, True, seconds=time.perf_counter() - started, worker=worker)


def _short_error(exc: BaseException) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()[:500]


def run_jobs(
    jobs: list[Job],
    out_dir: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    engine: str = "warm",
) -> Iterator[JobResult]:
    """Run ``jobs`` on a local pool (or the Dask cluster at ``scheduler``); yield each result as it ends."""
    if engine not in ENGINES:
        raise ReportError(f"未知的执行方式 {engine!r}；可选：{', '.join(ENGINES)}")
    # Longest first: the comparison reads every department, so it must not be the straggler.
    ordered = sorted(jobs, key=lambda j: j.kind != "comparison")
    if scheduler:
        yield from _run_on_dask(ordered, out_dir, scheduler, engine)
    else:
        yield from _run_on_pool(ordered, out_dir, workers, engine)


def _run_on_pool(jobs: list[Job], out_dir: Path, workers: int | None, engine: str) -> Iterator[JobResult]:
    cores = config.cores()
    workers = max(1, min(workers or cores, cores, len(jobs) or 1))
    with spawn_pool(workers, initializer=_pool_worker_init) as pool:
        futures = {pool.submit(execute_job, job, out_dir, engine): job for job in jobs}
        for future in as_completed(futures):
            yield _result_of(future, futures[future])


def _pool_worker_init() -> None:
    """Stop this worker's kernels when the pool ends it (multiprocessing skips atexit after fork)."""
    from multiprocessing.util import Finalize

    from budgetlib.batch import kernels

    Finalize(None, kernels.shutdown_kernels, exitpriority=100)


def _run_on_dask(jobs: list[Job], out_dir: Path, scheduler: str, engine: str) -> Iterator[JobResult]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - a dependency of budgetlib
        raise ReportError("使用 --scheduler 需要安装 dask[distributed]") from exc
    try:
        client = Client(scheduler, timeout="30s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ReportError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from exc
    with client:
        futures = {}
        for index, job in enumerate(jobs):
            # pure=False: the same job run twice is two runs; priority keeps the planned order.
            future = client.submit(
                execute_job, job, Path(out_dir), engine, pure=False, priority=len(jobs) - index,
                key=f"budgetlib-report-{index}-{safe_stem(job.title, str(index))}",
            )
            futures[future] = job
        for future in dask_completed(list(futures), loop=client.loop):
            yield _result_of(future, futures[future])


def _result_of(future, job: Job) -> JobResult:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. a worker that died
        return JobResult(job, False, _short_error(exc))


def run_reports(
    data_dir: Path,
    out_dir: Path,
    department: str | None = None,
    years: list[int] | None = None,
    workers: int | None = None,
    progress: bool = True,
    scheduler: str | None = None,
    engine: str = "warm",
    on_result: Callable[[JobResult], None] | None = None,
    raw_dir: Path | None = None,
) -> ReportSummary:
    """Every report, in parallel (local worker processes or a Dask cluster), then ``index.html``.

    The reports and the index are a new generation of ``out_dir``, published at the end
    in one step under the folder's lock (:mod:`budgetlib.batch.report_output`).
    """
    summary = ReportSummary(out_dir=out_dir)
    with report_generation(out_dir) as generation:
        jobs = plan_jobs(data_dir, generation, department, years, raw_dir)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(jobs), desc="生成报告", unit="份", file=sys.stderr)
        try:
            for result in run_jobs(jobs, generation, workers, scheduler, engine):
                summary.results.append(result)
                if on_result:
                    on_result(result)
                if bar:
                    bar.update()
        finally:
            if bar:
                bar.close()
        summary.results.sort(key=lambda r: (r.job.kind != "comparison", r.job.title))
        carry_previous(
            out_dir, generation, {r.job.stem for r in summary.results if r.ok}, {r.job.stem for r in summary.results if not r.ok}
        )
        faults.point("report:index")
        write_index(generation, [_index_entry(r) for r in summary.results])
    return summary


def _index_entry(result: JobResult) -> tuple:
    stem = result.job.stem
    if not result.ok:
        return (result.job.title, None, None, f"失败：{result.error}（执行记录：{stem}.failed.ipynb）")
    return (result.job.title, f"{stem}.html", f"{stem}.xlsx", "成功")


__all__ = ["ENGINES", "Job", "JobResult", "ReportSummary", "ReportError", "execute_job", "plan_jobs", "run_jobs", "run_reports"]
