"""Scale: synthetic departments keep every identity, and parsing streams with flat memory."""
from __future__ import annotations

import shutil
import tracemalloc
from decimal import Decimal

import polars as pl
import pyarrow.parquet as pq
import pytest

import budgetlib
import synth
from budgetlib.store import write as store
from budgetlib.analysis.departments import departments
from budgetlib.extract.document import doc_id_for
from budgetlib.batch.parse_batch import parse_paths
from budgetlib.batch.pipeline import check_to, parse_to
from conftest import RAW, SEEDS

FINDING_KEY = ["check", "table", "row_no", "col_no", "severity"]


@pytest.fixture(scope="module")
def seeds_checked(processed, tmp_path_factory):
    """The samples parsed and checked (in a copy: the shared folder stays as parse left it)."""
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copytree(processed, folder, dirs_exist_ok=True)
    check_to(folder)
    return budgetlib.load(folder)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    written = synth.write_departments(root / "raw", 8)
    summary = parse_to([root / "raw"], root / "processed")
    assert not summary.failures, summary.describe()
    check_to(root / "processed")
    return written, budgetlib.load(root / "processed")


def test_region_names_are_distinct_and_read_back_as_regions():
    names = [synth.region_name(i) for i in range(5000)]
    assert len(set(names)) == 5000
    from budgetlib.extract.metadata import region_of

    assert all(region_of(f"{n}总工会") == n for n in names[:500])


def test_amounts_scale_exactly_and_other_numbers_stay():
    text = "序号\t1\t2\n1\t2012901\t行政运行\t1,234.56\t0.01\n支出合计206万元，增长12.50%，车辆3辆，2023年\n"
    out = synth.scale_amounts(text + "合计\t205.70\n", 3)
    assert "3,703.68\t0.03" in out and "2012901" in out and "12.50%" in out and "3辆" in out and "2023年" in out
    # 206 万元 is the rounding of 205.70: scaled from it (617.10), then rounded again.
    assert "支出合计617万元" in out


def test_synthetic_departments_keep_every_identity(synthetic, seeds_checked):
    written, data = synthetic
    seeds = seeds_checked
    assert len(departments(data)) == 8
    assert {d["department_name"] for d in data.documents.to_dicts()} == {w.department for w in written}
    assert set(data.documents["source_format"]) == {"pdf_text", "word_text", "markdown"}
    assert any(w.factor > 1 for w in written)
    for w in written:
        doc, seed = doc_id_for(w.file_name), doc_id_for(w.seed)
        ours = data.line_items.filter(pl.col("doc_id") == doc).drop("doc_id", "source_line")
        theirs = seeds.line_items.filter(pl.col("doc_id") == seed).drop("doc_id", "source_line")
        assert ours.equals(theirs.with_columns(pl.col("value") * Decimal(w.factor))), w.file_name
        # Every check gives the same verdicts: identities that held still hold, to the cent.
        found = data.findings.filter(pl.col("doc_id") == doc).select(FINDING_KEY)
        expected = seeds.findings.filter(pl.col("doc_id") == seed).select(FINDING_KEY)
        assert found.equals(expected), w.file_name


def test_table_writer_matches_whole_table_writes(tmp_path):
    records: dict[str, list[dict]] = {}
    for result in parse_paths([RAW / name for name in SEEDS.values()]):
        for name, recs in result.records.items():
            records.setdefault(name, []).extend(recs)
    with store.TableWriter(tmp_path, list(records), flush_rows=150) as writer:  # several spills per table
        for name, recs in records.items():
            for start in range(0, len(recs), 40):
                writer.add(name, recs[start:start + 40])
    for name, recs in records.items():
        assert pq.read_table(tmp_path / f"{name}.parquet").equals(store.to_arrow(name, recs)), name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp")]


def test_parse_memory_stays_flat_as_documents_grow(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "FLUSH_ROWS", 50)
    peaks = {}
    for n in (3, 12):
        raw = tmp_path / f"raw{n}"
        synth.write_departments(raw, n)
        tracemalloc.start()
        parse_to([raw], tmp_path / f"out{n}")
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # Four times the documents, about the same peak (the largest document being parsed and
    # the spill buffers); rows kept in memory would make it about four times as high.
    assert peaks[12] < 1.6 * peaks[3], peaks


def test_parsing_in_two_processes_writes_the_same_files_and_keeps_failures(tmp_path, monkeypatch):
    from budgetlib.batch import parse_batch as parse

    pools = []
    run_limited = parse.run_limited
    monkeypatch.setattr(parse, "run_limited", lambda fn, jobs, workers, limits: pools.append(workers) or run_limited(fn, jobs, workers, limits))
    monkeypatch.setattr(parse.config, "cores", lambda: 2)
    raw = tmp_path / "raw"
    synth.write_departments(raw, 24)
    (raw / "zz_cut.txt").write_text("2024年部门预算公开\n收支总表\n\t栏次\t1\n", encoding="utf-8")
    (raw / "aa_empty.txt").write_bytes(b"")
    one = parse_to([raw], tmp_path / "one", workers=1)
    two = parse_to([raw], tmp_path / "two", workers=2)
    assert one.parsed == two.parsed and len(one.parsed) == len(list(parse.discover([raw]))) - 2
    assert [(f.source_file, f.message) for f in two.failures] == [(f.source_file, f.message) for f in one.failures]
    assert [f.source_file for f in two.failures] == ["aa_empty.txt", "zz_cut.txt"]
    assert pools == [1, 2]  # one run in one worker process, one in two
    for path in sorted((tmp_path / "one").glob("*.parquet")):
        assert pq.read_table(path).equals(pq.read_table(tmp_path / "two" / path.name)), path.name


def test_check_in_batches_writes_what_checking_everything_at_once_finds(synthetic, monkeypatch, tmp_path):
    from budgetlib.batch import pipeline
    from budgetlib.checks import findings_table, run_checks

    _, data = synthetic
    folder = tmp_path / "processed"
    shutil.copytree(data.data_dir, folder)
    monkeypatch.setattr(pipeline, "CHECK_BATCH", 3)  # several batches, some splitting a department
    run = check_to(folder)
    loaded = budgetlib.load(folder, cache=False)
    whole = run_checks(loaded)
    assert [f.sort_key() for f in run.findings] == [f.sort_key() for f in whole]
    sha256_of = dict(loaded.documents.select("doc_id", "sha256").iter_rows())  # what finding_id is built on
    assert pq.read_table(folder / "findings.parquet").equals(findings_table(whole, sha256_of))
    # The synthetic copies of sample 002 keep its two errors; those of 003 its rounding gaps.
    assert {f.severity for f in whole} >= {"error", "rounding", "warning"}
    assert len(run.documents) == data.documents.height > 3 * 3


def test_check_memory_stays_flat_as_documents_grow(tmp_path, monkeypatch):
    from budgetlib.batch import pipeline

    monkeypatch.setattr(pipeline, "CHECK_BATCH", 4)
    peaks = {}
    for n in (3, 12):
        raw, out = tmp_path / f"raw{n}", tmp_path / f"out{n}"
        synth.write_departments(raw, n)
        parse_to([raw], out)
        tracemalloc.start()
        check_to(out)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # Four times the documents, about the same peak (one batch of tables, plus the findings kept
    # for the summary); all tables in memory at once would make it about four times as high.
    assert peaks[12] < 1.6 * peaks[3], peaks
