"""The batch runner: warm kernels give the same reports as fresh ones, and Dask runs the same jobs."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import nbformat
import papermill
import pytest

from budgetlib.batch import kernels
from budgetlib.cli import build_parser
from budgetlib.batch.runner import Job, execute_job, plan_jobs, run_jobs

# Two departments in different text shapes (PDF text, Word text).
FIRST, SECOND = "秦皇岛经济技术开发区总工会", "平乡县总工会"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?")
#: nbformat gives the injected parameters cell a random id, which nbconvert writes into the HTML.
_CELL_ID = re.compile(r"cell-id=[0-9a-f-]+")


def _jobs(processed: Path, out: Path) -> dict[str, Job]:
    return {j.title: j for j in plan_jobs(processed, out) if j.title in (FIRST, SECOND)}


def _unstamped(text: str) -> str:
    """Run timestamps (生成时间 …) and cell ids are what may differ between two runs of one report."""
    return _CELL_ID.sub("cell-id=<id>", _STAMP.sub("<time>", text))


def _report(out: Path, job: Job) -> dict:
    """What a reader gets: HTML, every part of the workbook, and the executed cells.

    Run timestamps and the output folder (a notebook parameter) are masked.
    """
    target = out / job.stem

    def same(text: str) -> str:
        return _unstamped(text).replace(str(out.resolve()), "<out>")

    html = same(target.with_suffix(".html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(target.with_suffix(".xlsx")) as book:
        parts = {
            name: same(book.read(name).decode("utf-8", "replace"))
            for name in sorted(book.namelist())
            if name != "docProps/core.xml"  # creation time
        }
    nb = nbformat.read(target.with_suffix(".ipynb"), as_version=4)
    cells = [
        (c.cell_type, same(c.source), c.get("execution_count"), same(json.dumps(c.get("outputs", []), ensure_ascii=False)))
        for c in nb.cells
    ]
    return {"html": html, "workbook": parts, "cells": cells}


@pytest.fixture(scope="module")
def fresh_reports(processed, tmp_path_factory) -> tuple[Path, dict[str, Job]]:
    """Each department run alone, in its own new kernel (papermill's default engine)."""
    out = tmp_path_factory.mktemp("fresh")
    jobs = _jobs(processed, out)
    for job in jobs.values():
        assert execute_job(job, out, engine="fresh").ok
    return out, jobs


def test_back_to_back_in_a_warm_kernel_equals_each_alone(processed, fresh_reports, tmp_path):
    fresh_out, fresh_jobs = fresh_reports
    warm_out = tmp_path / "warm"
    jobs = _jobs(processed, warm_out)
    kernel = kernels.thread_kernel()
    before = kernel.notebooks_run
    first = execute_job(jobs[FIRST], warm_out)
    second = execute_job(jobs[SECOND], warm_out)
    assert first.ok and second.ok, (first.error, second.error)
    assert kernels.thread_kernel() is kernel and kernel.notebooks_run == before + 2, "both ran in one kernel"
    for title in (FIRST, SECOND):
        warm, fresh = _report(warm_out, jobs[title]), _report(fresh_out, fresh_jobs[title])
        assert warm["cells"] == fresh["cells"], title
        assert warm["workbook"] == fresh["workbook"], title
        assert warm["html"] == fresh["html"], title
    # The executed notebooks number their cells from 1, as a fresh kernel does.
    counts = [c[2] for c in _report(warm_out, jobs[SECOND])["cells"] if c[0] == "code"]
    assert counts == list(range(1, len(counts) + 1))


def _notebook(tmp_path: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _run(path: Path) -> nbformat.NotebookNode:
    out = path.with_name(path.stem + ".out.ipynb")
    papermill.execute_notebook(str(path), str(out), engine_name=kernels.ENGINE_NAME, progress_bar=False, kernel_name="python3")
    return nbformat.read(out, as_version=4)


def test_no_state_leaks_from_one_notebook_to_the_next(tmp_path):
    messy = _notebook(
        tmp_path, "messy",
        "import os, sys, decimal, warnings, matplotlib\n"
        "leak = 1\n"
        "matplotlib.rcParams['font.size'] = 99\n"
        "warnings.filterwarnings('ignore', message='budgetlib-leak')\n"
        "warnings.simplefilter('ignore')\n"
        f"os.environ['BUDGETLIB_LEAK'] = '1'; os.chdir({str(tmp_path)!r}); sys.path.append('/leak')\n"
        "decimal.getcontext().prec = 3",
        "import warnings; warnings.warn('shown once per location')",
    )
    _run(messy)
    clean = _run(
        _notebook(
            tmp_path, "clean",
            "import os, sys, decimal, warnings, matplotlib\n"
            "assert 'leak' not in globals()\n"
            "assert matplotlib.rcParams['font.size'] != 99\n"
            "assert 'BUDGETLIB_LEAK' not in os.environ and '/leak' not in sys.path\n"
            f"assert os.getcwd() != {str(tmp_path)!r}\n"
            "assert decimal.getcontext().prec == 28\n"
            "assert not any(f[1] is not None and f[1].pattern == 'budgetlib-leak' for f in warnings.filters)",
            "import warnings; warnings.warn('shown once per location')",
        )
    )
    assert [c.execution_count for c in clean.cells] == [1, 2]
    # The same warning from the same place is shown again: the "already shown" registry was reset.
    assert "shown once per location" in "".join(o.get("text", "") for o in clean.cells[1].outputs)


def test_a_dead_kernel_fails_its_notebook_and_is_replaced(tmp_path):
    dying = _notebook(tmp_path, "dying", "import os\nos._exit(1)")
    with pytest.raises(Exception):
        _run(dying)
    assert _run(_notebook(tmp_path, "after", "6 * 7")).cells[0].outputs[0]["data"]["text/plain"] == "42"


def test_dask_cluster_runs_the_jobs_like_the_local_pool(processed, fresh_reports, tmp_path):
    distributed = pytest.importorskip("distributed")
    fresh_out, fresh_jobs = fresh_reports
    out = tmp_path / "dask"
    jobs = list(_jobs(processed, out).values())
    # One worker process with two threads: the jobs are pickled to another process, and each
    # worker thread drives its own kernel.
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as cluster:
        results = list(run_jobs(jobs, out, scheduler=cluster.scheduler_address))
    assert sorted(r.job.title for r in results) == sorted([FIRST, SECOND])
    assert all(r.ok for r in results), [r.error for r in results]
    for job in jobs:
        ours, fresh = _report(out, job), _report(fresh_out, fresh_jobs[job.title])
        for part in ("cells", "workbook", "html"):
            assert ours[part] == fresh[part], (job.title, part)


def test_report_and_run_take_a_scheduler_address():
    parser = build_parser()
    assert parser.parse_args(["report", "--scheduler", "tcp://10.0.0.5:8786"]).scheduler == "tcp://10.0.0.5:8786"
    assert parser.parse_args(["run", "--scheduler", "tcp://10.0.0.5:8786"]).scheduler == "tcp://10.0.0.5:8786"
    assert parser.parse_args(["report"]).scheduler is None


def teardown_module() -> None:
    kernels.shutdown_kernels()
