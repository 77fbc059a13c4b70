"""Document metadata you can trust: department, year, kind and level, each with where it was read.

Expected values were read from the documents: covers, the 部门：/部门名称： lines above
the tables, and, where a file states no year or name at all, its file name.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from budgetlib.batch.pipeline import parse_to
from budgetlib.extract.metadata import is_department_name
from conftest import real_document

NPC = "jiangsu_npc_2017_2019/"
CPPCC = "jiangsu_cppcc_2017_2019/"
NPC_NAME, CPPCC_NAME = "江苏省人大常委会办公厅", "江苏省政协办公厅"

# file -> (department, its source, year, its source, kind, level)
METADATA = {
    # Cover: 江苏省人大常委会办公厅2018年度部门 / 预算公开; the tables' headers name it too, one
    # of them cut in two (部门名称：江苏省人大 | 常委会办公厅): the name most headers print wins.
    NPC + "省人大办公厅2018预算公开.pdf": (NPC_NAME, "table_header", 2018, "title", "budget", "department"),
    # The prose file of 2019: cover 江苏省人大常委会办公厅 / 2019年度部门预算公开.
    NPC + "江苏省人大常委会2019年度部门预算公开.pdf": (NPC_NAME, "cover", 2019, "title", "budget", "department"),
    # The tables of 2019: 部门： 江苏省人大常委会办公厅 above each table; the year only in the
    # title of the last one, 2019年政府采购预算表 (so in all the table files below).
    NPC + "江苏省人大常委会办公厅2019年部门预算公开表.pdf": (NPC_NAME, "table_header", 2019, "title", "budget", "department"),
    # 江苏省政协办公厅 2017 年度部门预算 on one cover line.
    CPPCC + "江苏省政协办公厅2017年度部门预算.pdf": (CPPCC_NAME, "cover", 2017, "title", "budget", "department"),
    CPPCC + "2017年度部门预算公开表.pdf": (CPPCC_NAME, "table_header", 2017, "title", "budget", "department"),
    # 江苏省政协办公厅 2018 年度 | 部门预算公开: a cover title over two lines.
    CPPCC + "江苏省政协办公厅2018年度部门预算.pdf": (CPPCC_NAME, "cover", 2018, "title", "budget", "department"),
    CPPCC + "江苏省政协办公厅2018度部门预算公开表.pdf": (CPPCC_NAME, "table_header", 2018, "title", "budget", "department"),
    # No cover at all (the file starts with its 目录): the name only in the file name.
    CPPCC + "江苏省政协办公厅2019年度部门预算.pdf": (CPPCC_NAME, "file_name", 2019, "title", "budget", "department"),
    CPPCC + "江苏省政协办公厅2019年预算公开表.pdf": (CPPCC_NAME, "table_header", 2019, "title", "budget", "department"),
    "js_jcy_2019_dept_budget.pdf": ("江苏省人民检察院", "table_header", 2019, "title", "budget", "department"),
    "sh_pt_czj_2024_dept_final.pdf": ("上海市普陀区财政局", "cover", 2024, "title", "final_accounts", "department"),
    "sh_pt_swj_2025_dept_budget.pdf": ("上海市普陀区商务委员会", "table_header", 2025, "title", "budget", "department"),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> pl.DataFrame:
    root = real_document("js_jcy_2019_dept_budget.pdf").parent  # the whole ../shared/real/
    out = tmp_path_factory.mktemp("metadata")
    parse_to([root], out)
    return pl.read_parquet(out / "documents.parquet")


@pytest.mark.parametrize("name", sorted(METADATA))
def test_department_year_kind_and_level_with_their_source(documents, name):
    row = documents.filter(pl.col("source_file") == name).select(
        "department_name", "department_source", "fiscal_year", "fiscal_year_source", "doc_kind", "level"
    )
    assert row.rows() == [METADATA[name]]


def test_a_source_line_unless_read_from_the_file_name(documents):
    for row in documents.filter(pl.col("source_file").is_in(list(METADATA))).to_dicts():
        assert (row["department_line"] is None) == (row["department_source"] == "file_name"), row["source_file"]
        assert (row["fiscal_year_line"] is None) == (row["fiscal_year_source"] == "file_name"), row["source_file"]
    # The Shanghai final account's cover: 上海市普陀区财政局 on page 1, line 1.
    sh = documents.filter(pl.col("source_file") == "sh_pt_czj_2024_dept_final.pdf").row(0, named=True)
    assert sh["department_line"] == 1001


def test_the_text_and_the_tables_of_one_department_year_are_one_disclosure(documents):
    known = documents.filter(pl.col("source_file").is_in(list(METADATA)))
    groups = {
        tuple(sorted(Path(f).name for f in files))
        for files in known.group_by("disclosure_id").agg("source_file")["source_file"].to_list()
    }
    assert groups == {
        ("省人大办公厅2018预算公开.pdf",),
        ("江苏省人大常委会2019年度部门预算公开.pdf", "江苏省人大常委会办公厅2019年部门预算公开表.pdf"),
        ("2017年度部门预算公开表.pdf", "江苏省政协办公厅2017年度部门预算.pdf"),
        ("江苏省政协办公厅2018年度部门预算.pdf", "江苏省政协办公厅2018度部门预算公开表.pdf"),
        ("江苏省政协办公厅2019年度部门预算.pdf", "江苏省政协办公厅2019年预算公开表.pdf"),
        ("js_jcy_2019_dept_budget.pdf",),
        ("sh_pt_czj_2024_dept_final.pdf",),
        ("sh_pt_swj_2025_dept_budget.pdf",),
    }


def test_the_samples_disclosures_are_their_own(data):
    assert data.documents["disclosure_id"].n_unique() == data.documents.height
    assert data.documents["level"].to_list() == ["department"] * data.documents.height


@pytest.mark.parametrize(
    "text, is_name",
    [
        ("江苏省人大常委会办公厅", True),
        ("上海市普陀区财政局", True),
        (".8万元，增长", False),  # a fragment of prose
        (".80", False),
        ("2019", False),
        ("一般公共预算拨款收入", False),  # a table label
        ("部门预算公开", False),
        ("", False),
    ],
)
def test_a_number_or_a_fragment_is_never_a_department_name(text, is_name):
    assert is_department_name(text) is is_name


def test_a_year_printed_nowhere_is_taken_from_the_file_name():
    """Sample 000 with every year removed (预算年度： left empty, no dated title): the year is
    the one its file name gives, and the documents table says so."""
    from budgetlib.extract.document import parse_bytes
    from conftest import seed_path

    text = seed_path("000").read_text(encoding="utf-8").replace("2023", "").replace("2022", "")
    doc = parse_bytes(text.encode("utf-8"), "秦皇岛经济技术开发区总工会2031年部门预算.txt").records["documents"][0]
    assert (doc["fiscal_year"], doc["fiscal_year_source"], doc["fiscal_year_line"]) == (2031, "file_name", None)
    assert doc["department_name"] == "秦皇岛经济技术开发区总工会"
