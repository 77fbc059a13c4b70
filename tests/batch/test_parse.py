"""Documents, table recognition across pages and shapes, storage and the parse command."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from budgetlib.errors import ParseError
from budgetlib.extract.document import parse_document
from budgetlib.batch.pipeline import parse_to
from conftest import RAW, ROOT, SEEDS, seed_path, seed_paths

# Read from each document's header lines (and, for 003, its 机构设置 table).
DOCUMENTS = {
    "000": ("715", "秦皇岛经济技术开发区总工会", "秦皇岛经济技术开发区", 2023, "budget", "万元", "pdf_text"),
    "001": ("201", "中共秦皇岛经济技术开发区工作委员会办公室", "秦皇岛经济技术开发区", 2023, "budget", "万元", "pdf_text"),
    "002": ("711", "平乡县总工会", "平乡县", 2023, "budget", "万元", "word_text"),
    "003": ("711", "山海关区总工会", "山海关区", 2023, "budget", "万元", "word_text"),
    "004": ("116001", "承德高新技术产业开发区总工会", "承德高新技术产业开发区", 2023, "performance", None, "markdown"),
}


@pytest.mark.parametrize("seed", sorted(DOCUMENTS))
def test_document_metadata(data, seed):
    row = data.documents.filter(pl.col("source_file") == SEEDS[seed]).select(
        "department_code", "department_name", "region", "fiscal_year", "doc_kind", "source_unit", "source_format"
    )
    assert row.rows() == [DOCUMENTS[seed]]


def test_sha256_and_stable_ids(data, tmp_path):
    import hashlib

    doc = data.documents.filter(pl.col("source_file") == SEEDS["000"])
    assert doc["sha256"].item() == hashlib.sha256(seed_path("000").read_bytes()).hexdigest()
    again = parse_document(seed_path("000"), SEEDS["000"])
    assert again.doc_id == doc["doc_id"].item()


def test_table_split_across_pages_is_stitched(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["001"])["doc_id"].item()
    income = data.line_items.filter((pl.col("doc_id") == doc) & (pl.col("table") == "income"))
    # Row 14 ends one page ("机关事业单位基本养老保险"), its label continues on the next ("缴费支出").
    row14 = income.filter(pl.col("row_no") == 14)
    assert set(row14["item"]) == {"机关事业单位基本养老保险缴费支出"}
    assert row14["value"].to_list() == [Decimal("87.56")] * 3
    assert sorted(set(income["row_no"])) == list(range(1, 25))


def test_fiscal_summary_continues_without_department_line(data):
    # 000's 财政拨款收支总表 repeats only the column header on its second page.
    doc = data.documents.filter(pl.col("source_file") == SEEDS["000"])["doc_id"].item()
    rows = data.line_items.filter((pl.col("doc_id") == doc) & (pl.col("table") == "fiscal_summary"))
    assert rows.filter(pl.col("row_no") == 20).select("item", "value").rows() == [("二十、住房保障支出", Decimal("11.50"))] * 2
    assert rows.filter(pl.col("row_no") == 37)["value"].to_list() == [Decimal("299.54")] * 3


def test_empty_tables_are_present_with_their_note(data):
    tables = data.document_tables.join(data.documents.select("doc_id", "source_file"), on="doc_id")
    gov = tables.filter((pl.col("source_file") == SEEDS["000"]) & (pl.col("table") == "gov_fund_expenditure"))
    assert gov.select("numbers", "note").rows() == [(0, "注：无政府基金预算财政拨款预算，空表列示。")]
    three = tables.filter((pl.col("source_file") == SEEDS["003"]) & (pl.col("table") == "three_public"))
    assert three["numbers"].item() == 0
    assert "三公" in three["note"].item()
    for seed in ["000", "001", "002", "003"]:
        assert tables.filter(pl.col("source_file") == SEEDS[seed]).height == 9


def test_performance_document_has_no_standard_tables(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["004"])["doc_id"].item()
    assert data.line_items.filter(pl.col("doc_id") == doc).is_empty()


# --- page-header variants, one per shape -----------------------------------------


def _numbers(parsed) -> set:
    return {(r["table"], r["row_no"], r["col_no"], r["value"]) for r in parsed.records["line_items"]}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pdf_shape_page_header_variant(tmp_path):
    """Page breaks that also print a page number and put 单位 before 预算年度."""
    text = seed_path("000").read_text(encoding="utf-8")
    repeated = "715 秦皇岛经济技术开发区总工会\n\n预算年度：2023\n\n单位：万元\n"
    variant = "- 3 -\n\n715 秦皇岛经济技术开发区总工会\n\n单位：万元\n\n预算年度：2023\n"
    assert text.count(repeated) > 9
    head, first, rest = text.partition(repeated)  # keep the first table's own preamble
    parsed = parse_document(_write(tmp_path, "v.txt", head + first + rest.replace(repeated, variant)))
    assert _numbers(parsed) == _numbers(parse_document(seed_path("000")))
    assert len(parsed.records["line_items"]) == 240


def test_word_shape_page_header_variant(tmp_path):
    """Word text whose text-box page numbers sit between tables, without bookmarks."""
    text = seed_path("002").read_text(encoding="utf-8")
    variant = text.replace("[bookmark: _Toc_2_2_0000000002]", "").replace(" (\n2\n)\n", "第 2 页\n")
    assert "第 2 页" in variant
    parsed = parse_document(_write(tmp_path, "w.txt", variant))
    assert _numbers(parsed) == _numbers(parse_document(seed_path("002")))


def test_markdown_shape_heading_variant(tmp_path):
    """Markdown headings of another depth still give a performance document."""
    text = seed_path("004").read_text(encoding="utf-8").replace("## 1.工会保障项目绩效目标表", "### 1.工会保障项目绩效目标表")
    parsed = parse_document(_write(tmp_path, "m.txt", text))
    assert parsed.records["documents"][0]["doc_kind"] == "performance"
    assert parsed.records["documents"][0]["department_code"] == "116001"


# --- bad input ---------------------------------------------------------------------


def test_non_number_in_amount_cell_names_file_and_line(tmp_path):
    text = seed_path("000").read_text(encoding="utf-8").replace("2	201	一般公共服务支出	220.86	194.44	26.42", "2	201	一般公共服务支出	220.86	一九四	26.42", 1)
    path = _write(tmp_path, "bad.txt", text)
    with pytest.raises(ParseError) as err:
        parse_document(path)
    assert err.value.file == "bad.txt" and err.value.line == 145
    assert "一九四" in str(err.value)


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "文件为空"), (b"\x00\x01\x02binary", "二进制"), ("这是一份会议通知，与预算无关。\n".encode(), "不是部门预算")],
)
def test_bad_files_are_named_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=reason):
        parse_document(path)


def test_parse_command_keeps_going_and_exits_1(raw_copy, tmp_path):
    (raw_copy / "broken.txt").write_bytes(b"\x00\x00")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "budgetlib", "parse", str(raw_copy), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "broken.txt" in proc.stdout and "二进制" in proc.stdout
    assert pl.read_parquet(out / "documents.parquet").height == 5
    errors = pl.read_parquet(out / "parse_errors.parquet")
    assert errors["source_file"].to_list() == ["broken.txt"]


def test_parse_command_bad_usage_exits_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "budgetlib", "parse", str(tmp_path / "nope")], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2


# --- storage -------------------------------------------------------------------


def test_rerun_gives_same_ids_and_rows(processed, tmp_path):
    parse_to(seed_paths(), tmp_path)
    for name in ["documents", "line_items", "document_tables"]:
        assert pq.read_table(tmp_path / f"{name}.parquet").equals(pq.read_table(processed / f"{name}.parquet"))


def test_duckdb_holds_every_table_with_decimal_money(processed):
    con = duckdb.connect(str(processed / "budget.duckdb"), read_only=True)
    counts = dict(con.sql('select "table", count(*) from line_items group by 1').fetchall())
    assert sum(counts.values()) == 862 and counts["three_public"] == 22
    assert con.execute("select data_type from information_schema.columns where table_name='line_items' and column_name='value'").fetchone() == ("DECIMAL(18,6)",)
    assert con.execute("select count(*) from documents").fetchone() == (5,)


def test_duckdb_cli_opens_the_database(processed):
    """The README's query, through the DuckDB command-line client installed with budgetlib."""
    cli = Path(sys.executable).with_name("duckdb")
    proc = subprocess.run(
        [str(cli), "-readonly", "-csv", str(processed / "budget.duckdb"), 'select "table", count(*) as n from line_items group by 1 order by 1'],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "income,228" in proc.stdout


def test_no_temporary_files_left(processed):
    assert not [p for p in processed.iterdir() if p.name.startswith(".tmp")]


def test_raw_folder_is_never_written(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in RAW.iterdir()}
    parse_to([RAW], tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in RAW.iterdir()} == before


# --- load API -------------------------------------------------------------------


def test_wide_view_of_expenditure(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["000"])["doc_id"].item()
    wide = data.wide("expenditure").filter(pl.col("doc_id") == doc)
    assert wide.columns == ["doc_id", "row_no", "code", "name", "total", "basic", "project", "operating", "remit_to_superior", "subsidy_to_affiliates"]
    assert wide.filter(pl.col("row_no") == 2).select("code", "name", "total", "basic", "project", "operating").rows() == [
        ("201", "一般公共服务支出", Decimal("220.86"), Decimal("194.44"), Decimal("26.42"), None)
    ]


def test_wide_view_of_two_sided_summary(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["002"])["doc_id"].item()
    wide = data.wide("income_expense_summary").filter(pl.col("doc_id") == doc)
    assert wide.filter(pl.col("row_no") == 1).select("income_item", "income_amount", "expenditure_item", "expenditure_amount").rows() == [
        ("一、一般公共预算拨款收入", Decimal("552.18"), "一、一般公共服务支出", Decimal("527.68"))
    ]


def test_pandas_on_request(data):
    frame = data.to_pandas("line_items")
    assert len(frame) == 862
    assert isinstance(frame["value"].iloc[0], Decimal)
