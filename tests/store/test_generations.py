"""One consistent output set: a kill at any step, a second writer or a reader during a swap
never sees tables of two runs; leftovers of an interrupted run are removed by the next."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import budgetlib
from budgetlib.batch.pipeline import check_to, parse_to
from budgetlib.faults import ENV as FAULT_ENV
from budgetlib.store import generations
from budgetlib.store.lock import folder_lock
from conftest import ROOT, SEEDS, seed_path

OLD, NEW = ("000", "002"), tuple(sorted(SEEDS))


def _raw(tmp_path: Path, name: str, seeds) -> Path:
    raw = tmp_path / name
    raw.mkdir()
    for seed in seeds:
        shutil.copy2(seed_path(seed), raw / SEEDS[seed])
    return raw


def _budgetlib(*args, fault: str | None = None, wait: float = 120, **popen):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETLIB_LOCK_WAIT": str(wait)}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.Popen([sys.executable, "-m", "budgetlib", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    process = _budgetlib(*args, **kwargs)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _sources(seeds) -> set[str]:
    return {SEEDS[s] for s in seeds}


def one_set(out: Path, *, quiet: bool = True) -> set[str]:
    """Check that the folder shows the tables of one run, in every way a reader reads it; its documents.

    ``quiet``: no writer is running, so the links resolve now to the generation just read.
    (With a writer running, two opens at different moments may see two generations; each
    set is checked on its own then.)
    """
    generation = generations.current(out)
    links = sorted(out.glob("*.parquet")) + [out / "budget.duckdb"]
    assert all(os.readlink(p) == f"{generations.CURRENT}/{p.name}" for p in links), links
    if quiet:
        assert all(p.resolve().parent == generation for p in links), links
    data = budgetlib.load(out, cache=False)
    documents = set(data.documents["doc_id"])
    for name in ("line_items", "document_tables", "narrative_facts", "findings"):
        assert set(data[name]["doc_id"].drop_nulls()) <= documents, name
    if not quiet:
        return set(data.documents["source_file"])
    con = duckdb.connect(str(generation / "budget.duckdb"), read_only=True)
    try:
        assert {r[0] for r in con.execute("select doc_id from documents").fetchall()} == documents
        assert con.execute("select count(*) from line_items").fetchone()[0] == data.line_items.height
        assert con.execute("select count(*) from findings").fetchone()[0] == data.findings.height
    finally:
        con.close()
    assert pq.read_table(generation / "documents.parquet").num_rows == len(documents)
    return set(data.documents["source_file"])


def no_leftovers(out: Path) -> None:
    """Nothing an interrupted run wrote is left: one current generation and at most the one before it."""
    assert not list(out.glob(".tmp-*")) and not list(out.glob("*.tmp"))
    kept = [p.resolve() for p in (out / generations.GENERATIONS).iterdir()]
    assert generations.current(out) in kept and len(kept) <= 2, kept
    assert all((p / generations.COMPLETE).exists() for p in kept)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A processed folder with the tables and findings of the OLD run."""
    out = tmp_path / "processed"
    parse_to([_raw(tmp_path, "old", OLD)], out)
    check_to(out)
    assert one_set(out) == _sources(OLD)
    return out


@pytest.mark.parametrize("step", ["store:swap", "store:links", "store:clean"])
def test_parse_killed_at_each_step_leaves_one_set(folder, tmp_path, step):
    new = _raw(tmp_path, "new", NEW)
    done = _run("parse", new, "--out", folder, "--quiet", fault=f"{step}=kill")
    assert done.returncode == -signal.SIGKILL
    # Killed before the swap: the old run; after it: the new one, links and all.
    assert one_set(folder) == (_sources(OLD) if step == "store:swap" else _sources(NEW))
    assert _run("parse", new, "--out", folder, "--quiet").returncode == 0
    assert one_set(folder) == _sources(NEW)
    no_leftovers(folder)


def test_check_killed_at_the_swap_keeps_the_findings_of_its_tables(folder):
    before = budgetlib.load(folder, cache=False).findings
    parse_to([seed_path("000"), seed_path("002")], folder)  # the same documents, not yet checked
    assert budgetlib.load(folder, cache=False).findings.is_empty()
    assert _run("check", "--data", folder, fault="store:swap=kill").returncode == -signal.SIGKILL
    assert budgetlib.load(folder, cache=False).findings.is_empty() and one_set(folder) == _sources(OLD)
    assert _run("check", "--data", folder).returncode == 0
    assert budgetlib.load(folder, cache=False).findings.equals(before)
    no_leftovers(folder)


def test_a_parse_killed_midway_is_cleaned_up_by_the_next(folder, tmp_path):
    new = _raw(tmp_path, "new", NEW)
    process = _budgetlib("parse", new, "--out", folder, "--quiet", "--workers", "1", fault=f"parse:{SEEDS['003']}=sleep")
    deadline = time.monotonic() + 120
    while not [p for p in (folder / generations.GENERATIONS).iterdir() if not (p / generations.COMPLETE).exists()]:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    time.sleep(1)  # let it spill and write a little
    process.kill()
    process.communicate(timeout=60)
    assert one_set(folder) == _sources(OLD)
    assert _run("parse", new, "--out", folder, "--quiet").returncode == 0
    assert one_set(folder) == _sources(NEW)
    no_leftovers(folder)


def test_two_parses_into_one_folder_take_turns_and_readers_see_one_set(folder, tmp_path):
    old, new = _raw(tmp_path, "old2", OLD), _raw(tmp_path, "new", NEW)
    seen: list[set[str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(one_set(folder, quiet=False))
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        runs = [_budgetlib("parse", raw, "--out", folder, "--quiet") for raw in (new, old, new)]
        results = [p.communicate(timeout=300) + (p.returncode,) for p in runs]
    finally:
        stop.set()
        reader.join(60)
    assert [r[2] for r in results] == [0, 0, 0], results
    assert not errors, errors[0]
    assert seen and all(s in (_sources(OLD), _sources(NEW)) for s in seen)
    assert one_set(folder) in (_sources(OLD), _sources(NEW))
    no_leftovers(folder)


def test_a_second_writer_says_who_holds_the_folder(folder, tmp_path):
    with folder_lock(folder):
        done = _run("parse", _raw(tmp_path, "new", NEW), "--out", folder, "--quiet", wait=1)
    assert done.returncode == 1
    assert f"另一个 budgetlib 运行（进程 {os.getpid()}）正在写入" in done.stderr and "Traceback" not in done.stderr
    assert one_set(folder) == _sources(OLD)


def test_a_folder_of_plain_files_is_adopted(folder, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(folder, plain)  # links followed: plain files, and .current a real folder
    assert not (plain / "documents.parquet").is_symlink()
    (plain / ".tmp-leftover").mkdir()
    assert one_set_plain(plain) == _sources(OLD)
    check_to(plain)
    assert one_set(plain) == _sources(OLD)
    no_leftovers(plain)


def one_set_plain(out: Path) -> set[str]:
    return set(budgetlib.load(out, cache=False).documents["source_file"])


def test_a_relative_folder_keeps_its_current_generation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    parse_to([seed_path("000")], Path("data/processed"))
    check_to(Path("data/processed"))
    assert one_set(Path("data/processed")) == {SEEDS["000"]}
    no_leftovers(Path("data/processed"))
