"""预算项目绩效目标: projects and indicators, against the documents."""
from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

from budgetlib.errors import ParseError
from budgetlib.extract.targets import parse_target, read_projects, tidy
from budgetlib.read.text_shapes import read_rows
from conftest import SEEDS


def of(data, table: str, seed: str) -> pl.DataFrame:
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS[seed])["doc_id"].item()
    return data[table].filter(pl.col("doc_id") == doc_id)


def indicator(data, seed: str, project_no: int, indicator_no: int) -> dict:
    rows = of(data, "indicators", seed).filter(
        (pl.col("project_no") == project_no) & (pl.col("indicator_no") == indicator_no)
    )
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    "seed, projects, indicators",
    [("000", 9, 64), ("001", 19, 125), ("002", 5, 42), ("003", 4, 36), ("004", 4, 36)],
)
def test_project_and_indicator_counts(data, seed, projects, indicators):
    p = of(data, "projects", seed).sort("project_no")
    assert p["project_no"].to_list() == list(range(1, projects + 1))  # numbered as printed, in order
    assert of(data, "indicators", seed).height == indicators


def test_totals(data):
    assert data.projects.height == 41
    assert data.indicators.height == 303


def test_indicators_per_project_of_001(data):
    # counted by hand from lines 629-847: project 5 has 9 rows, 7 has 10, 17 has 9, 4 has 7
    counts = of(data, "projects", "001").sort("project_no")["indicator_count"].to_list()
    assert counts == [6, 6, 6, 7, 9, 6, 10, 6, 6, 6, 6, 6, 6, 6, 6, 6, 9, 6, 6]


def test_classified_projects_of_001(data):
    p = of(data, "projects", "001").filter(pl.col("is_classified")).sort("project_no")
    # 3 党政专用电视会议系统建设（涉密） (name), 13 and 16 (goal "1. 涉密 2. 涉密"),
    # 14 国安办专项经费 (a goal in words, every indicator cell 涉密)
    assert p.select("project_no", "project_name").rows() == [
        (3, "党政专用电视会议系统建设（涉密）"),
        (13, "国安办国家安全教育基地经费"),
        (14, "国安办专项经费"),
        (16, "纪工委内网设备费"),
    ]
    assert data.projects.filter(pl.col("is_classified")).height == 4


def test_codes_and_budgets_of_004(data):
    p = of(data, "projects", "004").sort("project_no")
    # 79: 13081123P0002221000 28 → 96.30;  102: 13081123P0003941000 1A → 5.76
    # 127: 13081123P0002211000 1Y → 82.44; 153: 13081123P0002231000 1A → 4.40
    assert p.select("project_code", "budget", "budget_fiscal").rows() == [
        ("13081123P000222100028", D("96.30"), D("96.30")),
        ("13081123P00039410001A", D("5.76"), D("5.76")),
        ("13081123P00022110001Y", D("82.44"), D("82.44")),
        ("13081123P00022310001A", D("4.40"), D("4.40")),
    ]
    # 81: →保障机关工会的正常运行;  82-83: 10月底 50%, 12月底 50%
    first = p.row(0, named=True)
    assert (first["purpose"], first["spending_plan"]) == ("保障机关工会的正常运行", "10月底 50%；12月底 50%")
    # the contents lines 22-25 (".....→5") are not projects: titles stand at 73, 96, 121, 147
    assert p["source_line"].to_list() == [73, 96, 121, 147]


def test_projects_without_code_or_budget_in_other_samples(data):
    p = of(data, "projects", "000").sort("project_no")
    assert p["project_code"].null_count() == 9 and p["budget"].null_count() == 9
    # 503: 1、妇女之家建设绩效目标表 … 602: 9、职工职业技能大赛绩效目标表
    assert p["project_name"].to_list()[0] == "妇女之家建设"
    assert p["project_name"].to_list()[-1] == "职工职业技能大赛"


def test_row_split_across_pages_in_004(data):
    # 142: 满意度指标→服务对象满→体检人员的→体检人员的满意度→≥90→体检人员的
    # 144: (repeated header)   145: →意度指标→满意度→→→满意程度
    row = indicator(data, "004", 3, 9)
    assert (row["level1"], row["level2"], row["level3"], row["description"]) == (
        "满意度指标", "服务对象满意度指标", "体检人员的满意度", "体检人员的满意度",
    )  # fmt: skip
    assert (row["target_text"], row["basis"], row["source_line"]) == ("≥90", "体检人员的满意程度", 142)


def test_goal_row_after_header_and_continuation_row_in_000(data):
    p = of(data, "projects", "000").filter(pl.col("project_no") == 3).row(0, named=True)
    # 529: header first, 530: 绩效目标→1. 在保障困难职工家庭生活基础上…
    assert p["goal"].startswith("1. 在保障困难职工家庭生活基础上") and p["indicator_count"] == 6
    # 538: →→→→→99号)  repeats the end of the basis cell of line 535 after the page break
    fifth = indicator(data, "000", 3, 5)
    assert fifth["basis"].endswith("（冀财行【2022】99号）") and not fifth["basis"].endswith("99号）99号)")
    assert indicator(data, "000", 3, 6)["source_line"] == 539


def test_goal_row_after_header_in_001_project_17(data):
    p = of(data, "projects", "001").filter(pl.col("project_no") == 17).row(0, named=True)
    # 815 header, 816: 绩效目标→1. 维持日常工作正常需要 2. 提高办案结案率
    assert p["goal"] == "1. 维持日常工作正常需要 2. 提高办案结案率"
    assert p["indicator_count"] == 9


def test_html_tags_are_removed_from_cells(data):
    goal = of(data, "projects", "001").filter(pl.col("project_no") == 7)["goal"].item()
    # 701: 绩效目标→<p>1. 推动党组织工作人员…</p> <p>2. 提高机关文秘…</p> <p>3. 营造书香机关…</p>
    assert "<p>" not in goal and "</p>" not in goal
    assert goal.startswith("1. 推动党组织工作人员") and "2. 提高机关文秘工作人员" in goal


def test_merged_cells_carry_levels_down(data):
    # 508: →质量指标→妇女之家建设达标率→…→≥95%   (一级指标 merged with the row above)
    row = indicator(data, "000", 1, 2)
    assert (row["level1"], row["level2"], row["level3"]) == ("产出指标", "质量指标", "妇女之家建设达标率")


def test_word_row_cut_by_an_empty_line_in_003(data):
    # 1596-1603: →(blank) →质量指标 →资金到位率 (empty line) →资金到位率 (empty line) →≥90百分比 →行业指标
    row = indicator(data, "003", 2, 3)
    assert (row["level2"], row["level3"], row["description"], row["target_text"], row["basis"]) == (
        "质量指标", "资金到位率", "资金到位率", "≥90百分比", "行业指标",
    )  # fmt: skip
    assert (row["target_op"], row["target_value"], row["target_unit"]) == (">=", D("90"), "%")


def test_multi_line_word_cell_in_002(data):
    # 1898-1901: →市级职工劳 / 动模范离退休后，获得一次荣誉称号的，… / 每月发放荣誉津贴100元；… / 获得三次的…
    row = indicator(data, "002", 5, 4)
    assert row["description"].startswith("市级职工劳动模范离退休后，获得一次荣誉称号的")
    assert row["target_text"] == "≥100元/月" and row["source_line"] == 1902


def test_words_wrapped_inside_cells_are_closed_up(data):
    # 161: →质量指标→市级劳模登 记情况→…→确保劳模全 部登记在册
    row = indicator(data, "004", 4, 2)
    assert (row["level3"], row["target_text"]) == ("市级劳模登记情况", "确保劳模全部登记在册")


@pytest.mark.parametrize(
    "text, op, value, unit",
    [
        ("≥95%", ">=", D("95"), "%"),  # 000:508
        ("≤7.34 万元", "<=", D("7.34"), "万元"),  # 000:572
        ("≤4500元.年", "<=", D("4500"), "元.年"),  # 000:534
        ("≤4500元/年", "<=", D("4500"), "元/年"),  # 003:1767
        ("4次", None, D("4"), "次"),  # 000:606
        ("100%", None, D("100"), "%"),  # 000:509
        ("≥1 个", ">=", D("1"), "个"),  # 000:507
        ("≥3600 户", ">=", D("3600"), "户"),  # 000:519
        ("≤500 元/人", "<=", D("500"), "元/人"),  # 000:584
        ("190 元/人/月", None, D("190"), "元/人/月"),  # 001:695
        ("≥60 人次", ">=", D("60"), "人次"),  # 001:679
        ("≤0.98 万元", "<=", D("0.98"), "万元"),  # 001:834
        ("328万元", None, D("328"), "万元"),  # 002:1598
        ("≥100元/月", ">=", D("100"), "元/月"),  # 002:1902
        ("≥90百分比", ">=", D("90"), "%"),  # 003:1508
        ("600元", None, D("600"), "元"),  # 003:1689
        ("≥90", ">=", D("90"), None),  # 004:142
        ("500", None, D("500"), None),  # 004:160
        ("$\\geq 95\\%$", ">=", D("95"), "%"),  # 000:453 (分项绩效目标 prose)
        ("=1次", "=", D("1"), "次"),  # 001:491 "档案法宣传=1次"
        ("效果明显", None, None, None),  # 000:523
        ("较上年有所提升", None, None, None),  # 000:511
        ("涉密", None, None, None),  # 001:655
        ("是/否", None, None, None),  # 003:1774
        ("每年7月份12月份发放", None, None, None),  # 002:1885
        ("每年一次", None, None, None),  # 004:141
    ],
)
def test_parse_target(text, op, value, unit):
    t = parse_target(text)
    assert (t.op, t.value, t.unit) == (op, value, unit)



@pytest.mark.parametrize(
    "text, closed_up, as_printed",
    [
        ("  市级劳模登 记情况 ", "市级劳模登记情况", "市级劳模登 记情况"),
        ("服务 对象\u3000满意度", "服务对象满意度", "服务 对象 满意度"),  # any kind of space, between CJK only
        ("a\u3000\t b", "a b", "a b"),
        ("≥ 95 %", "≥ 95 %", "≥ 95 %"),
        (" \u3000\n", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_tidy(text, closed_up, as_printed):
    assert tidy(text) == closed_up
    assert tidy(text, close_up=False) == as_printed

def test_parsed_targets_in_the_table(data):
    # 534: →成本指标→人均救助标准→按文件规定人均救助标准→≤4500元.年→…
    row = indicator(data, "000", 3, 4)
    assert (row["target_text"], row["target_op"], row["target_value"], row["target_unit"]) == (
        "≤4500元.年", "<=", D("4500"), "元.年",
    )  # fmt: skip
    assert data.indicators.schema["target_value"] == pl.Decimal(18, 6)


BAD_HEADER = """1、某项目绩效目标表
绩效目标\t1. 目标
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t
产出指标\t数量指标\t人数\t人数\t≥1人\t方案
"""

BAD_BUDGET = """1.某项目绩效目标表
项目编码\t123 45\t\t项目名称\t某项目\t\t
预算规模及资金用途\t预算数\t九十六\t其中：财政资金\t96.30\t其他资金\t
"""


def test_indicator_header_missing_a_column_names_file_and_line():
    _, rows = read_rows(BAD_HEADER)
    with pytest.raises(ParseError) as err:
        read_projects(rows, "bad.txt")
    assert (err.value.file, err.value.line) == ("bad.txt", 3) and "指标值确定依据" in err.value.message


def test_budget_that_is_not_a_number_names_file_and_line():
    _, rows = read_rows(BAD_BUDGET)
    with pytest.raises(ParseError) as err:
        read_projects(rows, "bad.txt")
    assert (err.value.file, err.value.line) == ("bad.txt", 3)


def test_malformed_project_table_fails_the_document_with_file_and_line(raw_copy):
    from budgetlib.extract.document import parse_document

    path = raw_copy / SEEDS["004"]
    text = path.read_text(encoding="utf-8")
    # line 80: <b>预算规模及 资金用途</b>→<b>预算数</b>→96.30→…  — make the 预算数 unreadable
    path.write_text(text.replace("<b>预算数</b>\t96.30", "<b>预算数</b>\t九十六", 1), encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse_document(path, SEEDS["004"])
    assert (err.value.file, err.value.line) == (SEEDS["004"], 80)
