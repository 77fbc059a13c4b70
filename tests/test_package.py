"""budgetlib as an installed package: a wheel, installed into a fresh virtual environment, writes reports.

A checkout hides what a wheel leaves out (the notebooks used to live outside the
package, so ``pip install budgetlib`` could write no report). This test builds the
wheel, installs it with its dependencies into a new environment, and runs the main
job there from an empty folder, with only the samples as input.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile

from conftest import RAW, ROOT, SEEDS


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_wheel_installs_and_runs_the_main_job(tmp_path):
    # Built from a copy of what the wheel is made of, so that nothing left in the checkout
    # (a build/ folder, an untracked module) can stand in for a file the repository lacks.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "budgetlib", source / "budgetlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source])
    wheel = next(dist.glob("budgetlib-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert {"budgetlib/reports/notebooks/department.ipynb", "budgetlib/reports/notebooks/comparison.ipynb"} <= names
    assert "[papermill.engine]" in entry_points and "budgetlib-warm = budgetlib.batch.warm_engine:WarmEngine" in entry_points
    assert not [n for n in names if n.startswith(("tests/", "data/"))], "tests and data stay out of the wheel"

    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", wheel])

    work = tmp_path / "empty"
    work.mkdir()
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment |= {"BUDGETLIB_RAW": str(RAW), "PATH": f"{env_dir / 'bin'}{os.pathsep}{environment['PATH']}"}
    result = _run([env_dir / "bin" / "budgetlib", "run", "--quiet", "--workers", "1"], cwd=work, env=environment, timeout=900)

    assert f"已解析 {len(SEEDS)} 份文档，失败 0 份" in result.stdout
    assert "失败 0 份；索引" in result.stdout
    reports = work / "reports"
    assert (reports / "index.html").is_file() and (reports / "comparison.html").is_file()
    assert len(list((reports / "departments").glob("*.html"))) == len(SEEDS)  # each sample is another department
    assert (work / "data" / "processed" / "budget.duckdb").is_file()
    # The installed package was used, not this checkout.
    where = _run([python, "-c", "import budgetlib; print(budgetlib.__file__)"], cwd=work, env=environment).stdout
    assert str(env_dir) in where
