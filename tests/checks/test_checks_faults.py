"""Fault injection: change one printed number of a sample, and the right check fires there.

Each test copies the samples (``raw_copy``), changes ONE figure in one document,
parses and checks that document, and compares the findings with those of the
unmodified document: the new findings must be exactly the expected ones, at
the changed cell (table, 序号, 栏次, source line). Findings of the unmodified
document may disappear (a 0.01 rounding gap swallowed by the new error), but
nothing else may appear.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import budgetlib
from budgetlib.checks import run_checks
from budgetlib.batch.pipeline import parse_to
from conftest import SEEDS, seed_path


def findings_of(document: Path, out: Path) -> list:
    summary = parse_to([document], out)
    assert not summary.failures, summary.describe()
    return run_checks(budgetlib.load(out))


def where(findings) -> set[tuple]:
    return {(f.check, f.severity, f.table, f.row_no, f.col_no, f.source_line) for f in findings}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """Findings of each unmodified sample, checked on its own."""
    cache: dict[str, list] = {}

    def get(seed: str) -> list:
        if seed not in cache:
            cache[seed] = findings_of(seed_path(seed), tmp_path_factory.mktemp(f"base{seed}"))
        return cache[seed]

    return get


def set_cell(path: Path, line: int, old: str, new: str, index: int | None = None) -> None:
    """Replace one tab-separated cell on one line of a document (asserting what it held)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[line - 1].split("\t")
    hits = [i for i, c in enumerate(cells) if c.strip() == old]
    if index is None:
        assert len(hits) == 1, f"line {line}: {cells!r} holds {old!r} {len(hits)} times"
        index = hits[0]
    assert cells[index].strip() == old, f"line {line} cell {index}: {cells[index]!r}, expected {old!r}"
    cells[index] = cells[index].replace(old, new)
    lines[line - 1] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def new_findings(raw_copy: Path, tmp_path: Path, baseline, seed: str):
    after = findings_of(raw_copy / SEEDS[seed], tmp_path / "out")
    return [f for f in after if (f.check, f.severity, f.table, f.row_no, f.col_no, f.source_line) not in where(baseline(seed))]


def test_leaf_of_economic_table(raw_copy, tmp_path, baseline):
    # 000 基本支出表 row 14: 14	30201	办公费	0.95		0.95 (line 296); 公用经费 0.95 -> 1.95
    set_cell(raw_copy / SEEDS["000"], 296, "0.95", "1.95", index=5)
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("footing.parent_children", "error", "gpb_basic_expenditure", 14, 5, 296)}
    (f,) = new
    assert (f.expected, f.actual, f.difference) == (Decimal("0.95"), Decimal("1.95"), Decimal("1.00"))
    assert "办公费" in f.message and "应为0.95" in f.message


def test_subtotal_of_function_table(raw_copy, tmp_path, baseline):
    # 000 支出总表 row 3: 20129 群众团体事务 合计 220.86 (line 146) -> 221.86
    set_cell(raw_copy / SEEDS["000"], 146, "220.86", "221.86")
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("footing.parent_children", "error", "expenditure", 3, 3, 146)}
    assert new[0].expected == Decimal("220.86")
    assert "3项勾稽关系" in new[0].message


def test_cross_table_line_of_summary(raw_copy, tmp_path, baseline):
    # 000 收支总表 row 20: 二十、住房保障支出 11.50 (line 74) -> 12.50
    set_cell(raw_copy / SEEDS["000"], 74, "11.50", "12.50")
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("cross.summary_class", "error", "income_expense_summary", 20, 4, 74)}
    assert new[0].expected == Decimal("11.50")


def test_total_of_basic_table_shared_with_gpb_table(raw_copy, tmp_path, baseline):
    # 000 基本支出表 合计 273.12 (line 283) -> 274.12; also restated as 一般公共预算支出表 基本支出
    set_cell(raw_copy / SEEDS["000"], 283, "273.12", "274.12")
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("footing.total_classes", "error", "gpb_basic_expenditure", 1, 3, 283)}
    assert "一般公共预算财政拨款支出表" in new[0].message  # the cross-table identity is named too


def test_income_total(raw_copy, tmp_path, baseline):
    # 000 收入总表 合计 299.54 (line 101, 栏次 3) -> 299.64
    set_cell(raw_copy / SEEDS["000"], 101, "299.54", "299.64", index=3)
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("footing.total_classes", "error", "income", 1, 3, 101)}


def test_three_public_leaf(raw_copy, tmp_path, baseline):
    # 001 三公 row 9: 三、公务接待费 合计 0.74 (line 384, 栏次 2) -> 0.94
    set_cell(raw_copy / SEEDS["001"], 384, "0.74", "0.94", index=2)
    new = new_findings(raw_copy, tmp_path, baseline, "001")
    assert where(new) == {("rows.total_parts", "error", "three_public", 9, 2, 384)}


def test_three_public_below_economic_line(raw_copy, tmp_path, baseline):
    # 001 三公 公务接待费 一般公共预算 0.74 -> 0.64 and 合计 to match: the table is consistent
    # with itself but says less than 基本支出表 30217 (0.74) spends.
    doc = raw_copy / SEEDS["001"]
    set_cell(doc, 384, "0.74", "0.64", index=2)
    set_cell(doc, 384, "0.74", "0.64", index=3)
    new = new_findings(raw_copy, tmp_path, baseline, "001")
    # The two cells of row 9 change together, so 小计 (and 合计) no longer foot: reported there.
    assert ("three_public.vs_economic_30217", "error", "three_public", 9, 3, 384) in where(new)
    assert {f.check for f in new} == {"three_public.vs_economic_30217", "three_public.parts"}


def test_word_shape_leaf_in_rounding_document(raw_copy, tmp_path, baseline):
    # 003 支出总表 row 5: 2012902 项目支出 16.76 (its own line 573) -> 17.76
    set_cell(raw_copy / SEEDS["003"], 573, "16.76", "17.76")
    new = new_findings(raw_copy, tmp_path, baseline, "003")
    assert where(new) == {("footing.parent_children", "error", "expenditure", 5, 5, 573)}


def test_rounding_gap_grows_into_error(raw_copy, tmp_path, baseline):
    # 003 支出总表 row 1 合计 89.45 (line 531) is 0.01 from 72.70 + 16.76; at 89.40 it is an error.
    set_cell(raw_copy / SEEDS["003"], 531, "89.45", "89.40")
    new = new_findings(raw_copy, tmp_path, baseline, "003")
    assert {(f.check, f.table, f.row_no, f.col_no, f.source_line) for f in new} == {
        ("footing.total_classes", "expenditure", 1, 3, 531)
    }
    assert new[0].severity == "error"


def replace_text(path: Path, line: int, old: str, new: str) -> None:
    """Replace text that occurs exactly once on one line of a document."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].count(old) == 1, f"line {line}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_prose_total_income(raw_copy, tmp_path, baseline):
    # 000 line 395: "2023年预算收入299.54万元" -> 299.64; the finding points at the prose line
    # and at the table figure it restates (收入总表 合计).
    replace_text(raw_copy / SEEDS["000"], 395, "预算收入299.54万元", "预算收入299.64万元")
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("prose.vs_table", "error", "income", 1, 3, 395)}
    assert (new[0].expected, new[0].actual) == (Decimal("299.54"), Decimal("299.64"))
    assert "情况说明第395行" in new[0].message and "收入总表第1行合计299.54" in new[0].message


def test_prose_rounded_to_yuan_wan_is_fine_until_it_is_not(raw_copy, tmp_path, baseline):
    # 002 line 1521 restates 基本支出 205.70 as "206万元" (fine at precision 1); "216万元" is not,
    # and also breaks the prose's own 552 = 216 + 346: one finding, at the prose figure.
    replace_text(raw_copy / SEEDS["002"], 1521, "基本支出206万元", "基本支出216万元")
    new = new_findings(raw_copy, tmp_path, baseline, "002")
    assert where(new) == {("prose.vs_table", "error", "expenditure", 1, 4, 1521)}
    assert new[0].expected == Decimal("205.70")


def test_prose_project_amount(raw_copy, tmp_path, baseline):
    # 003 line 1446: the four project amounts 1.44 + 4.02 + 4.5 + 6.8 = 16.76 = 项目支出; 1.44 -> 2.44.
    replace_text(raw_copy / SEEDS["003"], 1446, "安排1.44万元", "安排2.44万元")
    new = new_findings(raw_copy, tmp_path, baseline, "003")
    assert where(new) == {("prose.project_amounts", "error", "expenditure", 1, 5, 1446)}
    assert (new[0].expected, new[0].actual) == (Decimal("16.76"), Decimal("17.76"))


def test_table_figure_restated_in_prose_is_located_in_the_table(raw_copy, tmp_path, baseline):
    # 000 支出总表 合计 项目支出 26.42 (line 144) -> 27.42: the prose (line 399) still says 26.42,
    # which confirms that the table cell is the wrong one.
    set_cell(raw_copy / SEEDS["000"], 144, "26.42", "27.42", index=5)
    new = new_findings(raw_copy, tmp_path, baseline, "000")
    assert where(new) == {("footing.total_classes", "error", "expenditure", 1, 5, 144)}
    assert "情况说明第399行" in new[0].message


def test_procurement_item_amount(raw_copy, tmp_path, baseline):
    # 001 政府采购预算表 item row (line 863): 合计 137.50 -> 138.50 breaks 小计, the row's sources
    # and 数量 × 单价; reported once, at the item.
    set_cell(raw_copy / SEEDS["001"], 863, "137.50", "138.50", index=7)
    new = new_findings(raw_copy, tmp_path, baseline, "001")
    assert where(new) == {("procurement.totals", "error", "procurement", 3, 3, 863)}


def test_prose_assets_total(raw_copy, tmp_path, baseline):
    # 001 line 869: "上年末固定资产金额为1112.93万元" -> 1113.93, against the 合计 of the asset table.
    replace_text(raw_copy / SEEDS["001"], 869, "1112.93", "1113.93")
    new = new_findings(raw_copy, tmp_path, baseline, "001")
    assert where(new) == {("prose.vs_table", "error", "assets", 8, 1, 869)}


def test_asset_class_breaks_the_asset_total(raw_copy, tmp_path, baseline):
    # 001 通用设备 841.66 (line 885) -> 842.66. The asset table has one identity (合计 = Σ classes),
    # so one changed class cannot be told from another: the finding stands at the 合计 (line 891).
    set_cell(raw_copy / SEEDS["001"], 885, "841.66", "842.66")
    new = new_findings(raw_copy, tmp_path, baseline, "001")
    assert where(new) == {("assets.total", "error", "assets", 8, 1, 891)}
