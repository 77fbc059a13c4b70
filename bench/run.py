"""Benchmark: parse, check and report throughput on synthetic departments, each against a floor.

Run with ``make bench`` (or ``python bench/run.py --help``). Prints a table and
writes ``bench/results.json``. Every figure is measured in this run next to a
floor measured in the same run, so the ratios hold on any machine:

==================  ==========================================================
figure              floor
==================  ==========================================================
parse               reading, decoding and splitting the same bytes into lines
                    (also shown: splitting into cells, a tuple per cell)
check               loading the processed tables the checks read
report / department the same notebook code as a plain Python loop (each shown
                    value formatted as the kernel would; workbook written)
fresh papermill     an empty notebook run by papermill: the kernel cost alone
batch, 2 workers    the same jobs on 1 worker
==================  ==========================================================

Per-department report times are medians over the departments timed. Departments
are made from the samples by :mod:`budgetlib.synth` (new names,
amounts scaled so every identity holds, every text shape). ``--end-to-end N``
also runs the user's command, ``budgetlib run`` (parse, check, every report, the
comparison), on N departments and records its time, the time of each step and
the peak memory of all its processes.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the synthetic-data generator lives with the tests

import psutil  # noqa: E402

import synth  # noqa: E402  (tests/synth.py)
from budgetlib.batch.parse_batch import discover  # noqa: E402
from budgetlib.extract.document import parse_document  # noqa: E402
from budgetlib.batch.pipeline import check_to, parse_to  # noqa: E402
from budgetlib.batch.runner import NOTEBOOKS, execute_job, plan_jobs, run_jobs  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"

#: (measure, unit, target description, test on the value) for the summary table.
TARGETS = {
    "parse_documents_per_second": ("≥ 1000 /s per core", lambda v: v >= 1000),
    "parse_vs_floor": ("≤ 3×", lambda v: v <= 3),
    "check_seconds_per_1000_documents": ("< 5 s", lambda v: v < 5),
    "report_vs_floor": ("≤ 1.5×", lambda v: v <= 1.5),
    "fresh_vs_warm": ("≥ 4× (fresh papermill process per department)", lambda v: v >= 4),
    "batch_speedup_2_workers": ("≥ 1.7×", lambda v: v >= 1.7),
    "end_to_end_seconds": ("< 900 s (1000 departments)", lambda v: v < 900),
    "end_to_end_peak_memory_mb": ("< 2048 MB", lambda v: v < 2048),
}


# --- measuring ------------------------------------------------------------------


class PeakMemory:
    """Peak resident memory of a process (default: this one) and all its children, sampled every 100 ms."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        try:
            me = psutil.Process(self.pid)
            tree = [me, *me.children(recursive=True)]
        except psutil.Error:  # the process has ended
            return 0
        total = 0
        for proc in tree:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(0.1)

    def __enter__(self) -> "PeakMemory":
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def best_of(fn, repeat: int) -> float:
    return min(timed(fn)[0] for _ in range(repeat))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the plain Python floor of a report -------------------------------------------


def plain_report(kind: str, parameters: dict) -> None:
    """The notebook's code run as plain Python: every shown value formatted as the kernel would."""
    from IPython.core.formatters import DisplayFormatter

    notebook = json.loads((NOTEBOOKS / f"{kind}.ipynb").read_text(encoding="utf-8"))
    formatter = DisplayFormatter()
    namespace: dict = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        if "parameters" in cell.get("metadata", {}).get("tags", []):  # defaults, then the job's values
            exec("".join(cell["source"]), namespace)  # noqa: S102
            namespace.update(parameters)
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the project's own notebook
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
            if value is not None:
                formatter.format(value)


def empty_notebook(folder: Path) -> Path:
    path = folder / "empty.ipynb"
    nb = {
        "cells": [],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


# --- the phases -----------------------------------------------------------------


def bench_parse(raw: Path, processed: Path, repeat: int) -> dict:
    docs = list(discover([raw]))
    data = [path.read_bytes() for path, _ in docs]

    def floor() -> None:
        for path, _ in docs:
            path.read_bytes().decode("utf-8-sig").splitlines()

    def cells_floor() -> None:
        # What any Python parser that keeps a line per cell does at least: a tuple per cell.
        for path, _ in docs:
            for no, line in enumerate(path.read_bytes().decode("utf-8-sig").splitlines(), start=1):
                [(cell.strip(), no) for cell in line.split("\t")]

    def parse() -> None:
        for path, name in docs:
            parse_document(path, name)

    t_floor, t_cells, t_parse = best_of(floor, repeat), best_of(cells_floor, repeat), best_of(parse, repeat)
    # One process: a few dozen documents do not repay starting workers (the 2-worker parse
    # is in the end-to-end figures, over all documents).
    with PeakMemory() as memory:
        t_write, summary = timed(parse_to, [raw], processed, workers=1)
    assert not summary.failures, summary.describe()
    n = len(docs)
    return {
        "documents": n,
        "document_kb": sum(map(len, data)) / n / 1024,
        "shapes": sorted({_shape(p) for p, _ in docs}),
        "parse_ms_per_document": 1000 * t_parse / n,
        "parse_documents_per_second": n / t_parse,
        "floor_read_split_ms_per_document": 1000 * t_floor / n,
        "parse_vs_floor": t_parse / t_floor,
        "floor_cells_ms_per_document": 1000 * t_cells / n,
        "parse_vs_cells_floor": t_parse / t_cells,
        "parse_to_seconds": t_write,
        "parse_to_documents_per_second": n / t_write,
        "parse_to_peak_memory_mb": memory.mb,
        "line_items": summary.counts.get("line_items", 0),
    }


def _shape(path: Path) -> str:
    from budgetlib.read.text_shapes import decode, detect_shape

    return detect_shape(decode(path.read_bytes(), path.name).splitlines())


def bench_check(processed: Path, documents: int) -> dict:
    from budgetlib.store.load import load

    t_floor, _ = timed(load, processed)
    with PeakMemory() as memory:
        t_check, run = timed(check_to, processed)
    per_1000 = 1000 * t_check / documents
    return {
        "check_documents": documents,
        "check_seconds": t_check,
        "check_documents_per_second": documents / t_check,
        "check_seconds_per_1000_documents": per_1000,
        "check_findings": len(run.findings),
        "floor_load_seconds": t_floor,
        "check_vs_floor": t_check / t_floor,
        "check_peak_memory_mb": memory.mb,
    }


def bench_reports(processed: Path, work: Path, n_warm: int, n_fresh: int) -> dict:
    """One department after another in this process: plain Python, warm kernel, fresh kernel."""
    import papermill

    from budgetlib.batch import kernels

    out = work / "reports-single"
    jobs = [j for j in plan_jobs(processed, out) if j.kind == "department"][: n_warm + 1]
    warmup, jobs = jobs[0], jobs[1:]

    plain_report(warmup.kind, warmup.parameters)  # imports, font cache
    # Medians: one department slowed by something else on the machine should not move the figure.
    t_plain = median(timed(plain_report, j.kind, j.parameters)[0] for j in jobs)

    t_start, _ = timed(kernels.thread_kernel)
    execute_job(warmup, out)
    warm_results = [execute_job(j, out) for j in jobs]
    assert all(r.ok for r in warm_results), [r.error for r in warm_results if not r.ok]
    t_warm = median(r.seconds for r in warm_results)
    t_notebook = median(_notebook_seconds(out / f"{j.stem}.ipynb") for j in jobs)
    kernels.shutdown_kernels()

    fresh = [execute_job(j, work / "reports-fresh", engine="fresh") for j in jobs[:n_fresh]]
    assert all(r.ok for r in fresh), [r.error for r in fresh if not r.ok]
    t_fresh = median(r.seconds for r in fresh)
    # The natural design: a new process per department (Python, papermill and nbconvert
    # imported, a new kernel started), the same notebook, HTML and workbook.
    t_process = median(timed(_fresh_process, j, work / "reports-process")[0] for j in jobs[:n_fresh])

    empty = empty_notebook(work)
    t_empty = min(
        timed(papermill.execute_notebook, str(empty), str(work / "empty-out.ipynb"), progress_bar=False, kernel_name="python3")[0]
        for _ in range(3)
    )
    return {
        "report_departments": len(jobs),
        "report_plain_seconds": t_plain,
        "report_warm_seconds": t_warm,
        "report_warm_notebook_seconds": t_notebook,
        "report_warm_html_seconds": t_warm - t_notebook,
        "report_vs_floor": t_warm / t_plain,
        "report_notebook_vs_floor": t_notebook / t_plain,
        "report_fresh_departments": len(fresh),
        "report_fresh_kernel_seconds": t_fresh,
        "fresh_kernel_vs_warm": t_fresh / t_warm,
        "report_fresh_process_seconds": t_process,
        "fresh_vs_warm": t_process / t_warm,
        "kernel_start_seconds": t_start,
        "empty_notebook_seconds": t_empty,
        "fresh_kernel_share": t_empty / t_fresh,
    }


def _fresh_process(job, out: Path) -> None:
    code = (
        "import sys, json, pathlib; from budgetlib.batch.runner import Job, execute_job; "
        "r = execute_job(Job(**json.loads(sys.argv[1])), pathlib.Path(sys.argv[2]), engine='fresh'); "
        "sys.exit(0 if r.ok else r.error)"
    )
    job_json = json.dumps({"kind": job.kind, "title": job.title, "stem": job.stem, "parameters": job.parameters})
    subprocess.run([sys.executable, "-c", code, job_json, str(out)], cwd=ROOT, check=True, capture_output=True)


def _notebook_seconds(path: Path) -> float:
    return json.loads(path.read_text(encoding="utf-8"))["metadata"]["papermill"]["duration"]


def bench_batch(processed: Path, work: Path, n: int) -> dict:
    """The same department jobs on 1 and on 2 worker processes (wall time, startup included)."""
    result = {"batch_departments": n}
    for workers in (1, 2):
        out = work / f"reports-batch-{workers}"
        jobs = [j for j in plan_jobs(processed, out) if j.kind == "department"][:n]
        result[f"batch_{workers}_workers_load_average_before"] = os.getloadavg()[0]
        cpu_before = _children_cpu()
        with PeakMemory() as memory:
            start = time.perf_counter()
            results, arrivals = [], []
            for r in run_jobs(jobs, out, workers=workers):
                results.append(r)
                arrivals.append(time.perf_counter() - start)
            wall = time.perf_counter() - start
        assert all(r.ok for r in results), [r.error for r in results if not r.ok]
        cpu = _children_cpu() - cpu_before  # workers and their kernels, once they have exited
        # Start-up (spawning the workers, starting and warming their kernels): until the first
        # report arrived, less that report's own time.
        startup = arrivals[0] - results[0].seconds
        result[f"batch_{workers}_workers_seconds"] = wall
        result[f"batch_{workers}_workers_startup_seconds"] = startup
        result[f"batch_{workers}_workers_steady_departments_per_second"] = n / (wall - startup)
        result[f"batch_{workers}_workers_departments_per_second"] = n / wall
        result[f"batch_{workers}_workers_cpu_seconds"] = cpu
        result[f"batch_{workers}_workers_cores_busy"] = cpu / wall
        result[f"batch_{workers}_workers_peak_memory_mb"] = memory.mb
    result["batch_speedup_2_workers"] = result["batch_1_workers_seconds"] / result["batch_2_workers_seconds"]
    result["batch_steady_speedup_2_workers"] = (
        result["batch_2_workers_steady_departments_per_second"] / result["batch_1_workers_steady_departments_per_second"]
    )
    return result


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_end_to_end(work: Path, n: int, workers: int, sample: int = 0) -> dict:
    """The user's command, ``budgetlib run``, on ``n`` departments: wall time, the time of each
    step as it prints them, and the peak memory of its whole process tree."""
    if sample:
        return bench_end_to_end_sampled(work, n, workers, sample)
    import re

    raw, processed, reports = work / "e2e-raw", work / "e2e-processed", work / "e2e-reports"
    t_synth, written = timed(synth.write_departments, raw, n)
    command = [sys.executable, "-m", "budgetlib", "run", "--raw", str(raw), "--data", str(processed),
               "--out", str(reports), "--workers", str(workers), "--quiet"]
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        with PeakMemory(run.pid) as memory:  # the command's processes only, not this one
            stdout, stderr = run.communicate()
    total = time.perf_counter() - start
    assert run.returncode == 0, stdout[-3000:] + stderr[-3000:]
    steps = dict(re.findall(r"(解析|审核|报告) ([\d.]+) 秒", stdout.splitlines()[-1]))
    checked = pq_rows(processed / "findings.parquet")
    htmls = len(list((reports / "departments").glob("*.html")))
    books = len(list((reports / "departments").glob("*.xlsx")))
    return {
        "end_to_end_command": " ".join(["budgetlib", *command[3:]]),
        "end_to_end_departments": n,
        "end_to_end_documents": len(written),
        "end_to_end_workers": workers,
        "end_to_end_seconds": total,
        "end_to_end_parse_seconds": float(steps["解析"]),
        "end_to_end_parse_documents_per_second": len(written) / float(steps["解析"]),
        "end_to_end_check_seconds": float(steps["审核"]),
        "end_to_end_check_seconds_per_1000_documents": 1000 * float(steps["审核"]) / len(written),
        "end_to_end_reports_seconds": float(steps["报告"]),
        "end_to_end_comparison_html_mb": (reports / "comparison.html").stat().st_size / 2**20,
        "end_to_end_html_reports": htmls,
        "end_to_end_workbooks": books,
        "end_to_end_findings": checked,
        "end_to_end_peak_memory_mb": memory.mb,
        "synth_seconds": t_synth,
    }


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def bench_end_to_end_sampled(work: Path, n: int, workers: int, sample: int) -> dict:
    """Parse and check all ``n`` departments, then report ``sample`` of them and the comparison;
    project the time of every report from those (the comparison runs beside the departments)."""
    raw, processed, reports = work / "e2e-raw", work / "e2e-processed", work / "e2e-reports"
    t_synth, written = timed(synth.write_departments, raw, n)
    with PeakMemory() as memory:
        t_parse, parsed = timed(parse_to, [raw], processed)
        t_check, checked = timed(check_to, processed)
        jobs = plan_jobs(processed, reports)
        departments = [j for j in jobs if j.kind == "department"]
        step = max(1, len(departments) // sample)
        chosen = departments[::step][:sample] + [j for j in jobs if j.kind == "comparison"]
        t_reports, results = timed(lambda: list(run_jobs(chosen, reports, workers=workers)))
    assert not parsed.failures and all(r.ok for r in results), [r.error for r in results if not r.ok]
    per_department = sum(r.seconds for r in results if r.job.kind == "department") / sample
    comparison = next(r.seconds for r in results if r.job.kind == "comparison")
    projected_reports = (comparison + len(departments) * per_department) / workers
    return {
        "end_to_end_departments": n,
        "end_to_end_documents": len(written),
        "end_to_end_workers": workers,
        "end_to_end_sampled_departments": sample,
        "end_to_end_parse_seconds": t_parse,
        "end_to_end_check_seconds": t_check,
        "end_to_end_check_seconds_per_1000_documents": 1000 * t_check / len(written),
        "end_to_end_sample_reports_seconds": t_reports,
        "end_to_end_report_seconds_per_department": per_department,
        "end_to_end_comparison_seconds": comparison,
        "end_to_end_findings": len(checked.findings),
        "end_to_end_seconds": t_parse + t_check + projected_reports,
        "end_to_end_is_projected": True,
        "end_to_end_peak_memory_mb": memory.mb,
        "synth_seconds": t_synth,
    }


# --- output ---------------------------------------------------------------------

ROWS = [
    ("parse_documents_per_second", "parse: documents/s (1 core)", ".0f"),
    ("parse_ms_per_document", "parse: ms/document", ".2f"),
    ("floor_read_split_ms_per_document", "  floor: read+split ms/document", ".3f"),
    ("parse_vs_floor", "  parse / floor", ".1f"),
    ("floor_cells_ms_per_document", "  floor: read+split into cells ms/document", ".3f"),
    ("parse_vs_cells_floor", "  parse / cells floor", ".1f"),
    ("parse_to_documents_per_second", "parse_to incl. Parquet+DuckDB: documents/s", ".0f"),
    ("parse_to_peak_memory_mb", "parse_to peak memory MB", ".0f"),
    ("check_documents_per_second", "check: documents/s", ".0f"),
    ("check_seconds_per_1000_documents", "check: s per 1000 documents", ".2f"),
    ("floor_load_seconds", "  floor: load tables s", ".3f"),
    ("check_vs_floor", "  check / floor", ".1f"),
    ("report_plain_seconds", "report floor: plain Python s/department", ".3f"),
    ("report_warm_notebook_seconds", "report warm kernel: notebook s/department", ".3f"),
    ("report_warm_html_seconds", "report warm kernel: + HTML export s", ".3f"),
    ("report_warm_seconds", "report warm kernel: total s/department", ".3f"),
    ("report_notebook_vs_floor", "  notebook / floor", ".2f"),
    ("report_vs_floor", "  notebook+HTML / floor", ".2f"),
    ("report_fresh_process_seconds", "report in a fresh process + kernel s/department", ".3f"),
    ("fresh_vs_warm", "  fresh process / warm", ".1f"),
    ("report_fresh_kernel_seconds", "report in a fresh kernel, same driver s/dept.", ".3f"),
    ("fresh_kernel_vs_warm", "  fresh kernel / warm", ".1f"),
    ("empty_notebook_seconds", "  floor: empty notebook via papermill s", ".3f"),
    ("kernel_start_seconds", "warm kernel start (once per worker) s", ".2f"),
    ("batch_1_workers_departments_per_second", "batch 1 worker: departments/s", ".2f"),
    ("batch_2_workers_departments_per_second", "batch 2 workers: departments/s", ".2f"),
    ("batch_1_workers_cores_busy", "  1 worker: cores busy (CPU s / wall s)", ".2f"),
    ("batch_speedup_2_workers", "  2 workers / 1 worker", ".2f"),
    ("batch_2_workers_cores_busy", "  2 workers: cores busy", ".2f"),
    ("batch_2_workers_startup_seconds", "  start-up of 2 workers (spawn, kernels) s", ".1f"),
    ("batch_steady_speedup_2_workers", "  2 workers / 1 worker after start-up", ".2f"),
    ("batch_2_workers_peak_memory_mb", "batch 2 workers peak memory MB", ".0f"),
    ("end_to_end_departments", "end to end: departments", "d"),
    ("end_to_end_documents", "end to end: documents", "d"),
    ("end_to_end_parse_seconds", "  parse s", ".1f"),
    ("end_to_end_parse_documents_per_second", "  parse documents/s (workers, Parquet+DuckDB)", ".0f"),
    ("end_to_end_check_seconds", "  check s", ".1f"),
    ("end_to_end_reports_seconds", "  reports + comparison + index s", ".1f"),
    ("end_to_end_report_seconds_per_department", "  report s/department (in batch)", ".2f"),
    ("end_to_end_comparison_seconds", "  comparison report s", ".1f"),
    ("end_to_end_comparison_html_mb", "  comparison.html MB", ".1f"),
    ("end_to_end_sampled_departments", "  departments reported (sample)", "d"),
    ("end_to_end_seconds", "end to end: total s", ".0f"),
    ("end_to_end_peak_memory_mb", "end to end: peak memory MB (all processes)", ".0f"),
]


def print_table(results: dict) -> None:
    print(f"{'measure':<46}{'value':>12}  target")
    for key, label, fmt in ROWS:
        if key not in results:
            continue
        value = results[key]
        target = ""
        if key in TARGETS:
            text, ok = TARGETS[key]
            target = f"{text}  {'met' if ok(value) else 'MISSED'}"
        print(f"{label:<46}{format(value, fmt):>12}  {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=60, help="synthetic departments for parse and check (default 60)")
    parser.add_argument("--reports", type=int, default=10, help="departments timed one by one in a warm kernel (default 10)")
    parser.add_argument("--fresh", type=int, default=6, help="of those, run with a fresh kernel each (default 6)")
    parser.add_argument("--batch", type=int, default=40, help="departments in the 1- and 2-worker batch runs (default 40)")
    parser.add_argument("--repeat", type=int, default=3, help="parse rounds, the best is kept (default 3)")
    parser.add_argument("--end-to-end", type=int, default=0, metavar="N", help="also run the whole job on N departments (e.g. 1000)")
    parser.add_argument("--workers", type=int, default=2, help="workers for the end-to-end run (default 2)")
    parser.add_argument(
        "--sample", type=int, default=0, metavar="K",
        help="end to end: report only K departments and the comparison, and project the total from them",
    )
    parser.add_argument("--only-end-to-end", action="store_true", help="skip the component figures")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one, removed)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="budgetlib-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cores": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average_at_start": os.getloadavg(),
        },
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    try:
        if not args.only_end_to_end:
            raw, processed = work / "raw", work / "processed"
            log(f"合成 {args.departments} 个部门 …")
            written = synth.write_departments(raw, args.departments)
            results["synthetic_departments"] = args.departments
            log("解析 …")
            results.update(bench_parse(raw, processed, args.repeat))
            log("审核 …")
            results.update(bench_check(processed, len(written)))
            log("逐个部门报告：纯 Python、常驻内核、新内核 …")
            results.update(bench_reports(processed, work, args.reports, args.fresh))
            log("批量报告：1 个与 2 个进程 …")
            results.update(bench_batch(processed, work, min(args.batch, args.departments)))
        if args.end_to_end:
            log(f"端到端：{args.end_to_end} 个部门 …")
            results.update(bench_end_to_end(work, args.end_to_end, args.workers, args.sample))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["targets"] = {key: {"target": text, "met": ok(results[key])} for key, (text, ok) in TARGETS.items() if key in results}
    print_table(results)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
