"""A disclosure published as two files (the text and the tables) is checked and reported as one.

江苏省人大常委会办公厅's 2019 budget: 江苏省人大常委会2019年度部门预算公开.pdf holds the prose
(page 9: “（一）收入预算总计18330.37万元”; page 16: “因公出国（境）费预算支出199.25万元，比上年
预算减少23.25万元”), 江苏省人大常委会办公厅2019年部门预算公开表.pdf the tables (公开01表 收入合计
18,330.37).
"""
from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

import budgetlib
from budgetlib.analysis.comparison import comparison_rows
from budgetlib.analysis.lookups import fact
from budgetlib.batch.pipeline import parse_to
from budgetlib.checks import run_checks
from budgetlib.store.load import Dataset
from conftest import real_document

TEXT = "江苏省人大常委会2019年度部门预算公开.pdf"
TABLES = "江苏省人大常委会办公厅2019年部门预算公开表.pdf"


@pytest.fixture(scope="module")
def npc(tmp_path_factory):
    out = tmp_path_factory.mktemp("disclosure")
    folder = real_document(f"jiangsu_npc_2017_2019/{TEXT}").parent
    parse_to([folder / TEXT, folder / TABLES], out)
    return budgetlib.load(out, cache=False)


def _doc(data, name: str) -> str:
    return data.documents.filter(pl.col("source_file") == name)["doc_id"].item()


def test_the_comparison_shows_one_row_naming_both_files(npc):
    rows = comparison_rows(npc)
    assert len(rows) == 1
    assert rows[0]["收入合计"] == D("18330.37") and rows[0]["年度"] == "2019"
    assert TEXT in rows[0]["来源文件"] and TABLES in rows[0]["来源文件"]


def test_the_report_reads_the_prose_of_the_other_file(npc):
    abroad = fact(npc, _doc(npc, TABLES), "three_public_abroad_change")
    assert abroad.value == D("-23.25")
    assert abroad.source.startswith(f"{TEXT} 第16页")


def test_the_prose_of_one_file_is_checked_against_the_tables_of_the_other(npc):
    # The clean pair: no error on the prose against the tables (its template residue, 增加（减少）,
    # is checked in tests/checks/test_wording_faults.py).
    assert [f for f in run_checks(npc) if f.severity == "error" and f.check.startswith("prose.")] == []
    # The prose says 收入预算总计18330.37; make it 18330.73 and the check finds it, in the text file.
    facts = npc.narrative_facts.with_columns(
        pl.when((pl.col("fact") == "total_income") & (pl.col("source_line") == 9008))
        .then(pl.lit(D("18330.73")).cast(npc.narrative_facts["value"].dtype))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    altered = Dataset(npc.data_dir, {**{name: npc[name] for name in npc.names}, "narrative_facts": facts})
    errors = [f for f in run_checks(altered) if f.severity == "error" and f.check.startswith("prose.")]
    assert [(f.check, f.doc_id, f.source_line) for f in errors] == [("prose.vs_table", _doc(npc, TEXT), 9008)]


def test_jiangsu_other_funds_are_held_to_their_own_line(tmp_path):
    """江苏省政协办公厅's prose states 其他资金收入预算总计80万元 each year: the 收支预算总表 prints
    三、其他资金 80.00 (2017–2019), so no prose figure of its three disclosures is in error."""
    folder = real_document("jiangsu_cppcc_2017_2019/江苏省政协办公厅2019年度部门预算.pdf").parent
    parse_to([folder], tmp_path)
    data = budgetlib.load(tmp_path, cache=False)
    assert [(f.check, f.message) for f in run_checks(data) if f.severity == "error" and f.check.startswith("prose.")] == []
