"""Audit checks over the five samples, and the ``budgetlib check`` command.

The expectations come from reading the documents: 000 and 001 add up; 003
prints many sums 0.01 off their parts (25.18 + 16.76 = 41.94 against 41.93),
which independent rounding explains; 002's 三公 table leaves 二、公务用车购置及运维费
blank while its child 公务用车运行维护费 and the 小计 above it are 0.16.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from budgetlib.checks import findings_frame, run_checks
from budgetlib.cli import main
from conftest import SEEDS


@pytest.fixture(scope="module")
def findings(data):
    return run_checks(data)


def of_seed(data, findings, seed):
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS[seed])["doc_id"].item()
    return [f for f in findings if f.doc_id == doc_id]


@pytest.mark.parametrize("seed", ["000", "001"])
def test_consistent_samples_have_no_error_and_no_rounding(data, findings, seed):
    assert [f for f in of_seed(data, findings, seed) if f.severity in ("error", "rounding")] == []


def test_seed_003_gaps_are_rounding_never_errors(data, findings):
    mine = of_seed(data, findings, "003")
    arithmetic = [f for f in mine if f.difference is not None and f.table is not None]
    assert not [f for f in mine if f.severity == "error"]
    assert len([f for f in arithmetic if f.severity == "rounding"]) >= 10
    assert {abs(f.difference) for f in arithmetic if f.severity == "rounding"} == {Decimal("0.01")}
    # 支出总表 row 2: 201 一般公共服务支出 41.93 against 基本 25.18 + 项目 16.76 = 41.94 (line 541).
    row2 = [f for f in mine if (f.check, f.table, f.row_no, f.col_no) == ("rows.total_parts", "expenditure", 2, 3)]
    assert [(f.severity, f.expected, f.actual, f.tolerance, f.source_line) for f in row2] == [
        ("rounding", Decimal("41.94"), Decimal("41.93"), Decimal("0.015"), 541)
    ]
    assert row2[0].message == (
        "支出总表第2行合计41.93与基本支出25.18+项目支出16.76=41.94相差0.01，在四舍五入误差范围内（±0.015）"
    )


def test_seed_002_blank_three_public_parent_is_the_only_error(data, findings):
    errors = [f for f in of_seed(data, findings, "002") if f.severity == "error"]
    # 合计 and 一般公共预算 columns of row 6 are blank; row 8 prints 0.16 on lines 1479 and 1480.
    assert [(f.check, f.table, f.row_no, f.col_no, f.expected, f.actual, f.source_line) for f in errors] == [
        ("three_public.parts", "three_public", 6, 2, Decimal("0.16"), None, 1479),
        ("three_public.parts", "three_public", 6, 3, Decimal("0.16"), None, 1480),
    ]
    assert "公务用车购置及运维费" in errors[0].message and "0.16" in errors[0].message


def test_performance_only_document_has_no_table_findings(data, findings):
    assert [f for f in of_seed(data, findings, "004") if f.table in ("income", "expenditure", "three_public")] == []


def test_findings_are_exact_sorted_and_deterministic(data, findings):
    again = run_checks(data)
    assert [f.record() for f in again] == [f.record() for f in findings]
    frame = findings_frame(findings)
    assert frame.schema["expected"] == pl.Decimal(18, 6)
    keys = frame.select("doc_id", "severity", "check", "table", "row_no", "col_no").rows()
    assert keys == sorted(keys, key=lambda k: tuple("" if v is None else v for v in k))
    assert all(f.message and f.check and f.severity for f in findings)


@pytest.fixture
def processed_copy(processed, tmp_path):
    dest = tmp_path / "processed"
    shutil.copytree(processed, dest)
    return dest


def test_check_command_writes_findings_and_prints_summary(processed_copy, capsys):
    assert main(["check", "--data", str(processed_copy)]) == 0
    out = capsys.readouterr().out
    written = pl.read_parquet(processed_copy / "findings.parquet")
    con = duckdb.connect(str(processed_copy / "budget.duckdb"), read_only=True)
    try:
        in_db = con.execute("select count(*) from findings").fetchone()[0]
        tables = {r[0] for r in con.execute("show tables").fetchall()}
    finally:
        con.close()
    assert in_db == written.height > 0
    assert "line_items" in tables  # the parsed tables are kept
    assert "平乡县总工会（711，002_5342aacfb1655b46.txt）：错误 2" in out
    assert "秦皇岛经济技术开发区总工会（715，000_69246d7c280277d8.txt）：" in out
    block = out.split("平乡县总工会（711")[1]
    assert block.index("[错误]") < block.index("来源：002_5342aacfb1655b46.txt 第1479行")


def test_errors_only_summary_lists_only_documents_with_errors_up_to_a_limit(processed_copy):
    from budgetlib.checks.printing import describe
    from budgetlib.batch.pipeline import check_to

    run = check_to(processed_copy)
    errors_only = describe(run, severities=("error",))
    # Of the samples only 002 has errors (the two blank 公务用车购置及运维费 cells); 000 has warnings only.
    assert "平乡县总工会（711，002_5342aacfb1655b46.txt）：错误 2" in errors_only
    assert "000_69246d7c280277d8.txt" not in errors_only and "[警告]" not in errors_only
    assert "另有" not in errors_only
    limited = describe(run, severities=("error",), limit=0)
    assert "002_5342aacfb1655b46.txt" not in limited and "……另有 1 份文档有错误，此处未逐条列出" in limited
    assert limited.splitlines()[0] == errors_only.splitlines()[0]  # the totals stay


def test_check_command_json_csv_and_fail_on(processed_copy, capsys):
    assert main(["check", "--data", str(processed_copy), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    errors = [r for r in records if r["severity"] == "error"]
    assert {(r["table"], r["row_no"], r["col_no"], r["expected"], r["actual"]) for r in errors} == {
        ("three_public", 6, 2, "0.16", None),
        ("three_public", 6, 3, "0.16", None),
    }
    assert main(["check", "--data", str(processed_copy), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(records) and rows[0].keys() >= {"check", "severity", "message", "source_line"}
    assert main(["check", "--data", str(processed_copy), "--fail-on", "error"]) == 1
    capsys.readouterr()


def test_check_command_without_processed_data(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path / "nothing")]) == 1
    err = capsys.readouterr().err
    assert "没有已解析的数据" in err and "budgetlib parse" in err


def test_seed_004_targets_that_repeat_the_indicator_name(data, findings):
    # 004 project 1: 服务对象满意度指标 “工会会员满意度” with the target “工会会员满意度” (line 94).
    mine = {(f.check, f.row_no): f for f in of_seed(data, findings, "004")}
    unmeasurable = mine[("targets.unmeasurable", 1)]
    assert unmeasurable.severity == "warning" and unmeasurable.table == "projects"
    assert "“工会会员满意度”→“工会会员满意度”（指标值照抄指标名称）" in unmeasurable.message
    # Projects 1 and 2 print no number at all in their nine targets; 3 and 4 print ≥90 and 500.
    assert {r for c, r in mine if c == "targets.no_quantified"} == {1, 2}


def test_seed_001_vague_targets_and_classified_projects(data, findings):
    mine = of_seed(data, findings, "001")
    classified = sorted(f.row_no for f in mine if f.check == "targets.classified")
    assert classified == [3, 13, 14, 16]  # the four 涉密 projects
    assert all(f.severity == "info" for f in mine if f.check == "targets.classified")
    vague = [f for f in mine if f.check == "targets.unmeasurable" and f.row_no == 1]
    assert vague and "“效果明显”" in vague[0].message


def test_seed_003_prose_restates_the_tables(data, findings):
    # The prose gives 基本支出 72.70 = 人员经费 69.30 + 公用经费 3.39 (72.69): the table's own
    # 0.01 gap, repeated in the prose, so rounding again.
    prose = [f for f in of_seed(data, findings, "003") if f.check.startswith("prose.")]
    assert {(f.check, f.severity) for f in prose} == {("prose.parts", "rounding")}
    assert all(abs(f.difference) == Decimal("0.01") for f in prose)
