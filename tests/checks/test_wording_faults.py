"""Audit beyond arithmetic: each kind of fault put into a copy of a document is found, at its place.

Faults go into sample 002 (平乡县总工会, Word text, one cell per line) as text, and into the
parsed rows of published PDFs. The clean originals give none of these findings as errors,
except the real anomalies listed in test_real_anomalies_only.
"""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import polars as pl
import pytest

import budgetlib
from budgetlib.batch.pipeline import parse_to
from budgetlib.checks import run_checks
from budgetlib.store.load import Dataset
from conftest import SEEDS, real_document, seed_path

NEW_FAMILIES = ("wording.", "notes.", "statements.", "prose.subjects", "budget_vs_final.")


def _checked(tmp_path: Path, text: str) -> list:
    source = tmp_path / "raw" / SEEDS["002"]
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    parse_to([source.parent], tmp_path / "out")
    return run_checks(budgetlib.load(tmp_path / "out", cache=False))


def _with(line_no: int, old: str, new: str) -> str:
    """Sample 002 with ``old`` replaced by ``new`` on line ``line_no`` (counted from 1)."""
    lines = seed_path("002").read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    return "\n".join(lines)


def _new(findings) -> list[tuple[str, str, int | None]]:
    return sorted((f.check, f.severity, f.source_line) for f in findings if f.check.startswith(NEW_FAMILIES))


def test_the_clean_sample_has_only_its_doubled_word(tmp_path):
    """Line 1555 of 002 really prints “…提高资金使用效益的意见意见；…”."""
    findings = _checked(tmp_path, seed_path("002").read_text(encoding="utf-8"))
    assert _new(findings) == [("wording.placeholder", "warning", 1555)]


@pytest.mark.parametrize(
    "line_no, old, new, expected",
    [
        # A placeholder in a heading, and in a figure's place in the prose.
        (1494, "一、部门职责", "一、XX部门职责", ("wording.placeholder", "error", 1494)),
        (1521, "支出预算为552万元", "支出预算为XX万元", ("wording.placeholder", "error", 1521)),
        # A template's alternatives left side by side.
        (1528, "与2022年相比无增减变化", "与2022年相比增加（减少）0万元", ("wording.placeholder", "error", 1528)),
        (1495, "部门职责", "部门部门职责", ("wording.placeholder", "warning", 1495)),
        # Last year's 预算年度 in one table's header (the header row starts at line 235).
        (236, "预算年度：2023", "预算年度：2022", ("wording.year", "error", 235)),
        # Last year's title above the 情况说明.
        (1492, "平乡县总工会2023年", "平乡县总工会2022年", ("wording.year", "error", 1492)),
        # Another department's name above one table.
        (235, "711平乡县总工会", "711威县总工会", ("wording.department_name", "error", 235)),
        # An empty table whose note is gone.
        (1370, "注：无政府基金预算财政拨款预算，空表列示。", "", ("notes.empty_without_note", "warning", 1337)),
    ],
)
def test_a_fault_in_the_words_is_found_at_its_line(tmp_path, line_no, old, new, expected):
    findings = _checked(tmp_path, _with(line_no, old, new))
    assert expected in _new(findings)
    assert [f for f in _new(findings) if f != expected and f != ("wording.placeholder", "warning", 1555)] == []


# --- faults in the parsed rows of published PDFs ----------------------------------------------

SH_FINAL = "sh_pt_czj_2024_dept_final.pdf"
JS_BUDGET = "js_jcy_2019_dept_budget.pdf"


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Dataset:
    out = tmp_path_factory.mktemp("wording-real")
    parse_to([real_document(SH_FINAL), real_document(JS_BUDGET)], out)
    return budgetlib.load(out, cache=False)


def _altered(data: Dataset, name: str, frame: pl.DataFrame) -> Dataset:
    return Dataset(data.data_dir, {**{n: data[n] for n in data.names}, name: frame})


def _replace_text(frame: pl.DataFrame, line: int, old: str, new: str, column: str = "text") -> pl.DataFrame:
    assert frame.filter((pl.col("source_line") == line) & pl.col(column).str.contains(old, literal=True)).height, (line, old)
    return frame.with_columns(
        pl.when(pl.col("source_line") == line).then(pl.col(column).str.replace(old, new, literal=True)).otherwise(pl.col(column)).alias(column)
    )


def _doc(data: Dataset, name: str) -> str:
    return data.documents.filter(pl.col("source_file") == name)["doc_id"].item()


def _found(data: Dataset, doc_name: str) -> list[tuple[str, str, int | None]]:
    doc_id = _doc(data, doc_name)
    return _new(f for f in run_checks(data) if f.doc_id == doc_id)


def test_real_anomalies_only(real):
    """On the clean PDFs, the new rules find what is really printed. In the Jiangsu budget: the
    rates of change 10.06% (page 25 line 3: 2214.39 over 21955.35 is 10.09%), 13.22% for 项目支出
    (page 26 line 9: 减少1237.7万元 over 5573.0 is 22.21%; 13.22% is the rate of 基本支出 two lines
    above) and 34.38% (page 29 line 2: 368.97 over 1073.77 is 34.36%); and 10.15% for 10.16%
    (2228.78 over 21940.96: pages 25, 27 and 29) and 35.77% for 35.78% (page 27), one step off.
    In the Shanghai final account, 三公 spent 0.00 against a budget of 0.95 (page 23 line 10,
    information)."""
    assert _found(real, JS_BUDGET) == [
        ("statements.change_rate", "error", 25003),
        ("statements.change_rate", "error", 26009),
        ("statements.change_rate", "error", 29002),
        ("statements.change_rate", "warning", 25008),
        ("statements.change_rate", "warning", 27003),
        ("statements.change_rate", "warning", 27008),
        ("statements.change_rate", "warning", 27016),
        ("statements.change_rate", "warning", 29020),
    ]
    assert _found(real, SH_FINAL) == [("budget_vs_final.deviation", "info", 23010)]


def test_a_share_that_does_not_divide(real):
    """Page 21 line 18: 本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%."""
    facts = real.narrative_facts
    line = facts.filter(pl.col("text").str.contains("占79.49%", literal=True))["source_line"].min()
    altered = _altered(real, "narrative_facts", _replace_text(facts, line, "占79.49%", "占80.49%"))
    found = _found(altered, SH_FINAL)
    # The share itself, and the list that no longer makes 100%.
    assert found.count(("statements.share", "error", line)) == 2


def test_a_rate_that_does_not_follow_or_contradicts_the_change(real):
    """Page 21 line 4: 收入支出总计减少56.95万元，下降1.87% (56.95 over 3052.34 is 1.87%)."""
    facts = real.narrative_facts
    wrong_size = _altered(real, "narrative_facts", _replace_text(facts, 21004, "下降1.87%", "下降1.97%"))
    assert ("statements.change_rate", "error", 21004) in _found(wrong_size, SH_FINAL)
    wrong_way = _altered(real, "narrative_facts", _replace_text(facts, 21004, "下降1.87%", "增长1.87%"))
    assert ("statements.change_rate", "error", 21004) in _found(wrong_way, SH_FINAL)


def test_a_direction_word_against_budget_and_final(real):
    """Page 22: 年初预算为1560.05万元，支出决算为1511.89万元。 决算数小于预算数的主要原因…"""
    texts = real.texts.filter(pl.col("doc_id") == _doc(real, SH_FINAL))
    line = texts.filter(pl.col("text").str.contains("决算数小于预算数的主要原因：人员进出", literal=True))["source_line"].item()
    altered = _altered(real, "texts", _replace_text(real.texts, line, "决算数小于预算数的主要原因：人员进出", "决算数大于预算数的主要原因：人员进出"))
    assert [f for f in _found(altered, SH_FINAL) if f[0] == "statements.direction"] == [("statements.direction", "error", 22001)]


def test_a_subject_amount_against_its_table(real):
    """Page 26 of the Jiangsu budget: 1．公共安全（类）支出16,593.12万元 = 公开07表 204 公共安全支出."""
    facts = real.narrative_facts
    hit = facts.filter((pl.col("fact") == "function_subject") & (pl.col("value") == D("16593.12")))
    line = hit["source_line"].min()
    changed = facts.with_columns(
        pl.when((pl.col("source_line") == line) & (pl.col("fact") == "function_subject"))
        .then(pl.lit(D("16539.12")).cast(facts["value"].dtype)).otherwise(pl.col("value")).alias("value")
    )
    assert ("prose.subjects", "error", line) in _found(_altered(real, "narrative_facts", changed), JS_BUDGET)


def test_notes_and_figures_of_empty_tables(real):
    tables = real.document_tables
    doc_id = _doc(real, JS_BUDGET)
    # 公开07表 prints figures: a note saying it is empty contradicts them.
    says_empty = tables.with_columns(
        pl.when((pl.col("doc_id") == doc_id) & (pl.col("table") == "gpb_expenditure"))
        .then(pl.lit("注：本部门无一般公共预算支出，故本表为空")).otherwise(pl.col("note")).alias("note")
    )
    line = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == "gpb_expenditure"))["source_line"].item()
    assert ("notes.note_says_empty", "error", line) in _found(_altered(real, "document_tables", says_empty), JS_BUDGET)
    # 公开10表 政府性基金 is printed empty (此表为空); prose that gives it 12.00万元 contradicts it.
    facts = real.narrative_facts
    extra = facts.filter(pl.col("doc_id") == doc_id).head(1).with_columns(
        pl.lit("gov_fund_expenditure").alias("fact"), pl.lit(D("12")).cast(facts["value"].dtype).alias("value"),
        pl.lit(None, dtype=pl.String).alias("subject"), pl.lit(2019).cast(facts["year"].dtype).alias("year"),
        pl.lit(False).alias("is_derived"), pl.lit(30001).cast(facts["source_line"].dtype).alias("source_line"),
    )
    found = _found(_altered(real, "narrative_facts", pl.concat([facts, extra])), JS_BUDGET)
    assert ("notes.prose_figure_for_empty_table", "error", 30001) in found


def test_the_threshold_of_budget_against_final_is_the_users(real, monkeypatch):
    """Page 22: 行政运行 年初预算1560.05, 决算1511.89: 3.09% below. Listed at a 1% threshold, not at 10%."""
    facts = real.narrative_facts
    line = facts.filter((pl.col("fact") == "function_subject") & (pl.col("value") == D("1511.89")))["source_line"].item()
    assert ("budget_vs_final.deviation", "info", line) not in _found(real, SH_FINAL)
    monkeypatch.setenv("BUDGETLIB_EXECUTION_THRESHOLD", "0.01")
    assert ("budget_vs_final.deviation", "info", line) in _found(real, SH_FINAL)


NPC_2018 = "jiangsu_npc_2017_2019/省人大办公厅2018预算公开.pdf"


@pytest.fixture(scope="module")
def npc_2018(tmp_path_factory) -> Dataset:
    out = tmp_path_factory.mktemp("npc-2018")
    parse_to([real_document(NPC_2018)], out)
    return budgetlib.load(out, cache=False)


def _set_fact(data: Dataset, fact: str, value: str) -> Dataset:
    facts = data.narrative_facts
    assert facts.filter(pl.col("fact") == fact).height, fact
    changed = facts.with_columns(
        pl.when(pl.col("fact") == fact).then(pl.lit(D(value)).cast(facts["value"].dtype)).otherwise(pl.col("value")).alias("value")
    )
    return _altered(data, "narrative_facts", changed)


def _errors(data: Dataset) -> list[tuple[str, int | None]]:
    return [(f.check, f.source_line) for f in run_checks(data) if f.severity == "error"]


def test_prose_facts_no_check_read_before(npc_2018):
    """Page 29: 政府采购预算2064.25万元，其中货物59万元、工程0万元、服务2005.25万元 (the parts add up);
    page 24: 财政拨款支出15897.44万元 = 财政拨款收支总表 本年支出合计. The clean document has real
    errors of its own: 单位预留机动经费 增加1557.29万元，增长1312.56% (page 21: 1212.56%), and the
    template's “增加（减少）0万元，增长（减少）0%” left in seven sentences (pages 19, 20, 28, 29)."""
    assert sorted(_errors(npc_2018)) == [
        ("statements.change_rate", 21008),
        *(("wording.placeholder", line) for line in (19016, 19018, 20001, 20003, 28006, 28020, 29019)),
    ]
    goods = _errors(_set_fact(npc_2018, "procurement_goods", "69"))
    assert [e for e in goods if e[0] == "prose.parts"], goods
    fiscal = _errors(_set_fact(npc_2018, "fiscal_expenditure", "15987.44"))
    assert [e for e in fiscal if e[0] == "prose.vs_table"], fiscal
