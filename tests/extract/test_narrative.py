"""Figures of the 情况说明 prose, against the sentences of the documents.

Every expected row below was read off the quoted line of the source text by a
person, not copied from the parser's output.
"""
from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

from budgetlib.extract.prose_facts import precision_of
from budgetlib.extract.prose_sections import clauses, heading_of
from conftest import SEEDS

# (fact, year, value, subject, source_line); is_derived is False unless listed in DERIVED.
EXPECTED = {
    "000": [
        # 395: 2023年预算收入299.54万元。其中，一般公共预算拨款收入299.54万元。
        ("total_income", 2023, D("299.54"), None, 395),
        ("gpb_income", 2023, D("299.54"), None, 395),
        # 399: 2023年部门支出预算为299.54万元，其中基本支出273.12万元，包括人员经费261.63万元
        #      和日常公用经费11.49万元；项目支出26.42万元，全部为本级支出。
        ("total_expenditure", 2023, D("299.54"), None, 399),
        ("basic_expenditure", 2023, D("273.12"), None, 399),
        ("personnel", 2023, D("261.63"), None, 399),
        ("public_use", 2023, D("11.49"), None, 399),
        ("project_expenditure", 2023, D("26.42"), None, 399),
        # 403: 2023年部门预算较2022年增加57.33万元，其中：基本支出增加56.15万元，…；项目支出增加1.18万元。
        ("total_change", 2023, D("57.33"), None, 403),
        ("basic_change", 2023, D("56.15"), None, 403),
        ("project_change", 2023, D("1.18"), None, 403),
        # 407: 机关运行经费共计安排11.49万元
        ("operating_cost", 2023, D("11.49"), None, 407),
        # 411: 部门2023年“三公”经费预算为0.09万元，其中：公务出国0万元；公务用车运行费0万元,
        #      其中公车购置经费0万元；公务接待0.09万元，与上年相比减少了0.01万元。
        #      2023年三公经费总体比2022年减少0.01万元
        ("three_public_total", 2023, D("0.09"), None, 411),
        ("three_public_abroad", 2023, D("0"), None, 411),
        ("three_public_vehicle_operation", 2023, D("0"), None, 411),
        ("three_public_vehicle_purchase", 2023, D("0"), None, 411),
        ("three_public_reception", 2023, D("0.09"), None, 411),
        ("three_public_reception_change", 2023, D("-0.01"), None, 411),
        ("three_public_change", 2023, D("-0.01"), None, 411),
        # prior totals, derived: 0.09 − (−0.01); 299.54 − 57.33; 273.12 − 56.15; 26.42 − 1.18
        ("three_public_prior_total", 2022, D("0.10"), None, 411),
        ("total_prior", 2022, D("242.21"), None, 403),
        ("basic_prior", 2022, D("216.97"), None, 403),
        ("project_prior", 2022, D("25.24"), None, 403),
        # 617: 2023年，秦皇岛经济技术开发区总工会安排政府采购预算0.00万元。
        ("procurement_total", 2023, D("0"), None, 617),
        # 634: …上年末固定资产金额为0.00万元（详见下表）。本年度拟购置固定资产总额为0.00万元
        ("assets_prior_year_total", 2022, D("0"), None, 634),
        ("assets_purchase_total", 2023, D("0"), None, 634),
    ],
    "001": [
        # 419: 2023年，部门总体预算收入1718.93万元，其中基本支出预算中人员支出预算1365.07万元，
        #      日常公用经费支出预算93.24万元，小计1458.31万元，项目支出预算260.62万元。与2022年相比，
        #      人员支出预算增加359.87万元，日常公用经费增加0.3万元，项目支出增加148.34万元。
        ("total_income", 2023, D("1718.93"), None, 419),
        ("personnel", 2023, D("1365.07"), None, 419),
        ("public_use", 2023, D("93.24"), None, 419),
        ("basic_expenditure", 2023, D("1458.31"), None, 419),
        ("project_expenditure", 2023, D("260.62"), None, 419),
        ("personnel_change", 2023, D("359.87"), None, 419),
        ("public_use_change", 2023, D("0.3"), None, 419),
        ("project_change", 2023, D("148.34"), None, 419),
        # 421: 本年度机关运行经费总计93.24万元，…其中办公费7.25万元；…公务接待费
        # 423: 0.74 万元；… 其他商品和服务支出（退休人员公用经费 3.67 万元，党组织活动经费 0.69 万元）4.36 万元。
        ("operating_cost", 2023, D("93.24"), None, 421),
        ("operating_cost_item", 2023, D("7.25"), "办公费", 421),
        ("operating_cost_item", 2023, D("0.74"), "公务接待费", 423),
        ("operating_cost_item", 2023, D("4.36"), "其他商品和服务支出", 423),
        ("operating_cost_item", 2023, D("3.67"), "退休人员公用经费", 423),
        # 425: 2022 年部门“三公”经费 9.0 万元，其中公务用车购置及运维费 8.24 万元，公务接待费 0.76 万元。
        #      2023 年“三公”经费合计 8.98 万元，其中公务用车购置及运维费 8.24 万元，与 2022 年一致，
        #      公务接待费 0.74 万元，与 2022 年相比减少 0.02 万元
        ("three_public_prior_total", 2022, D("9.0"), None, 425),
        ("three_public_vehicle_prior", 2022, D("8.24"), None, 425),
        ("three_public_reception_prior", 2022, D("0.76"), None, 425),
        ("three_public_total", 2023, D("8.98"), None, 425),
        ("three_public_vehicle", 2023, D("8.24"), None, 425),
        ("three_public_vehicle_change", 2023, D("0"), None, 425),
        ("three_public_reception", 2023, D("0.74"), None, 425),
        ("three_public_reception_change", 2023, D("-0.02"), None, 425),
        ("three_public_change", 2023, D("-0.02"), None, 425),  # derived: 8.98 − 9.0
        # 851: …安排政府采购预算137.50万元。
        ("procurement_total", 2023, D("137.50"), None, 851),
        # 869: …上年末固定资产金额为1112.93万元（详见下表）。本年度拟购置固定资产总额为137.5万元
        ("assets_prior_year_total", 2022, D("1112.93"), None, 869),
        ("assets_purchase_total", 2023, D("137.5"), None, 869),
    ],
    "002": [
        # 1519: 2023年预算收入552万元，其中：一般公共预算收入552万元，基金预算收入0万元，
        #       财政专户核拨收入0万元，其他来源收入0万元，上年结转0万元。
        ("total_income", 2023, D("552"), None, 1519),
        ("gpb_income", 2023, D("552"), None, 1519),
        ("gov_fund_income", 2023, D("0"), None, 1519),
        ("carryover_income", 2023, D("0"), None, 1519),
        # 1521: 2023年部门支出预算为552万元，其中基本支出206万元，包括人员经费200万元和
        #       日常公用经费6万元；项目支出346万元
        ("total_expenditure", 2023, D("552"), None, 1521),
        ("basic_expenditure", 2023, D("206"), None, 1521),
        ("personnel", 2023, D("200"), None, 1521),
        ("public_use", 2023, D("6"), None, 1521),
        ("project_expenditure", 2023, D("346"), None, 1521),
        # 1523: 2023年部门预算收支安排552万元，较2022年预算增加169万元，其中：基本支出增加76万元，项目支出增加93万元
        ("total_change", 2023, D("169"), None, 1523),
        ("basic_change", 2023, D("76"), None, 1523),
        ("project_change", 2023, D("93"), None, 1523),
        ("total_prior", 2022, D("383"), None, 1523),  # derived: 552 − 169
        # 1526: 2023年，我部门机关运行经费共计安排6万元
        ("operating_cost", 2023, D("6"), None, 1526),
        # 1528: 2023年，我部门财政拨款“三公”经费预算安排0.16万元，其中：因公出国（境）费0万元；
        #       公务用车购置及运维费0.16万元（其中：公务用车购置费0万元，公务用车运行维护费0.16万元)；
        #       公务接待费0万元。与2022年相比无增减变化。
        ("three_public_total", 2023, D("0.16"), None, 1528),
        ("three_public_abroad", 2023, D("0"), None, 1528),
        ("three_public_vehicle", 2023, D("0.16"), None, 1528),
        ("three_public_vehicle_purchase", 2023, D("0"), None, 1528),
        ("three_public_vehicle_operation", 2023, D("0.16"), None, 1528),
        ("three_public_reception", 2023, D("0"), None, 1528),
        ("three_public_change", 2023, D("0"), None, 1528),
        ("three_public_prior_total", 2022, D("0.16"), None, 1528),  # derived: 0.16 − 0
        # 1936 / 1990: 政府采购预算0.00万元 / 上年末固定资产金额为0.00万元 … 拟购置固定资产总额为0.00万元
        ("procurement_total", 2023, D("0"), None, 1936),
        ("assets_prior_year_total", 2022, D("0"), None, 1990),
        ("assets_purchase_total", 2023, D("0"), None, 1990),
    ],
    "003": [
        # 1444: 2023年预算收入为89.45万元，其中：一般公共预算收入89.45，基金预算收入0元，…
        ("total_income", 2023, D("89.45"), None, 1444),
        ("gpb_income", 2023, D("89.45"), None, 1444),
        ("gov_fund_income", 2023, D("0"), None, 1444),
        # 1446: 2023年预算支出为89.45万元，其中：基本支出72.70万元，主要是人员经费69.30万元和
        #       日常公用经费3.39万元；项目支出16.76万元，主要为劳动模范荣誉津贴安排1.44万元，
        #       市级以上劳动模范进行健康体检安排4.02万元，困难职工帮扶资金安排4.5万元，
        #       提前下达2023年困难职工及劳模帮扶救助省专项资金6.8万元。
        ("total_expenditure", 2023, D("89.45"), None, 1446),
        ("basic_expenditure", 2023, D("72.70"), None, 1446),
        ("personnel", 2023, D("69.30"), None, 1446),
        ("public_use", 2023, D("3.39"), None, 1446),
        ("project_expenditure", 2023, D("16.76"), None, 1446),
        ("project_amount", 2023, D("1.44"), "劳动模范荣誉津贴", 1446),
        ("project_amount", 2023, D("4.02"), "市级以上劳动模范进行健康体检", 1446),
        ("project_amount", 2023, D("4.5"), "困难职工帮扶资金", 1446),
        ("project_amount", 2023, D("6.8"), "提前下达2023年困难职工及劳模帮扶救助省专项资金", 1446),
        # 1448: 2023年预算支出安排89.45万元，较2022年预算增多40.87万元，其中：基本支出增加34.48万元，
        #       主要为工资福利支出增加24.84万元，…；项目支出增多6.4万元，主要为困难职工帮扶资金项目增多支出6.4万元。
        ("total_change", 2023, D("40.87"), None, 1448),
        ("basic_change", 2023, D("34.48"), None, 1448),
        ("basic_item_change", 2023, D("24.84"), "工资福利支出", 1448),
        ("project_change", 2023, D("6.4"), None, 1448),
        ("project_amount_change", 2023, D("6.4"), "困难职工帮扶资金项目", 1448),
        # 1450: 机关运行经费共计安排3.4万元，主要用于在职人员福利费0.59万元、工会经费0.85万元、退休人员经费1.96万元、办公及印刷费0元…
        ("operating_cost", 2023, D("3.4"), None, 1450),
        ("operating_cost_item", 2023, D("0.59"), "在职人员福利费", 1450),
        ("operating_cost_item", 2023, D("0"), "办公及印刷费", 1450),
        # 1452: 2023年，我部门财政拨款“三公”经费预算安排0万元。与上年持平，无增减变化。其中：
        #       因公出国（境）费0元，与上年持平；公务用车购置费0元，与上年持平；公务用车运行维护费0元，
        #       与上年持平；公务接待费0元，与上年持平。
        ("three_public_total", 2023, D("0"), None, 1452),
        ("three_public_change", 2023, D("0"), None, 1452),
        ("three_public_abroad", 2023, D("0"), None, 1452),
        ("three_public_abroad_change", 2023, D("0"), None, 1452),
        ("three_public_vehicle_purchase", 2023, D("0"), None, 1452),
        ("three_public_vehicle_operation", 2023, D("0"), None, 1452),
        ("three_public_reception", 2023, D("0"), None, 1452),
        ("three_public_reception_change", 2023, D("0"), None, 1452),
        ("three_public_prior_total", 2022, D("0"), None, 1452),  # derived
        ("procurement_total", 2023, D("0"), None, 1808),
        ("assets_prior_year_total", 2022, D("0"), None, 1861),
        ("assets_purchase_total", 2023, D("0"), None, 1861),
    ],
}
DERIVED = {
    ("000", "three_public_prior_total"),
    ("000", "total_prior"),
    ("000", "basic_prior"),
    ("000", "project_prior"),
    ("001", "three_public_change"),
    ("002", "total_prior"),
    ("002", "three_public_prior_total"),
    ("003", "three_public_prior_total"),
}

REQUIRED_KEYS = {
    "total_income", "total_expenditure", "basic_expenditure", "personnel", "public_use",
    "project_expenditure", "operating_cost", "three_public_total", "three_public_abroad",
    "three_public_vehicle", "three_public_vehicle_purchase", "three_public_vehicle_operation",
    "three_public_reception", "total_change", "basic_change", "project_change",
    "three_public_change", "three_public_prior_total", "project_amount", "procurement_total",
    "assets_prior_year_total", "assets_purchase_total", "gpb_income",
}  # fmt: skip


def facts_of(data, seed: str) -> pl.DataFrame:
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS[seed])["doc_id"].item()
    return data.narrative_facts.filter(pl.col("doc_id") == doc_id)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_prose_figures_with_sign_year_and_line(data, seed):
    facts = facts_of(data, seed)
    for fact, year, value, subject, line in EXPECTED[seed]:
        rows = facts.filter(
            (pl.col("fact") == fact)
            & (pl.col("year") == year)
            & (pl.col("source_line") == line)
            & (pl.col("subject").is_null() if subject is None else pl.col("subject") == subject)
        )
        assert rows.height == 1, f"{fact} {year} {subject} at line {line}: {rows.height} rows"
        row = rows.row(0, named=True)
        assert row["value"] == value, (fact, row["value"], value)
        assert row["is_derived"] == ((seed, fact) in DERIVED), fact


def test_required_fact_keys_are_produced(data):
    assert REQUIRED_KEYS <= set(data.narrative_facts["fact"].to_list())


def test_three_public_prior_totals(data):
    # 000 derived 0.10, 001 states "2022 年部门“三公”经费 9.0 万元", 002 0.16 unchanged, 003 0 unchanged
    got = {
        seed: facts_of(data, seed).filter(pl.col("fact") == "three_public_prior_total")["value"].to_list()
        for seed in ["000", "001", "002", "003"]
    }
    assert got == {"000": [D("0.10")], "001": [D("9.0")], "002": [D("0.16")], "003": [D("0")]}


def test_units_and_precision_as_printed(data):
    def one(seed, fact, line, subject=None):
        f = facts_of(data, seed).filter((pl.col("fact") == fact) & (pl.col("source_line") == line))
        if subject:
            f = f.filter(pl.col("subject") == subject)
        return f.select("unit", "precision").row(0)

    assert one("000", "total_change", 403) == ("万元", D("0.01"))  # 增加57.33万元
    assert one("002", "total_income", 1519) == ("万元", D("1"))  # 预算收入552万元 (rounded to whole 万元)
    assert one("001", "three_public_prior_total", 425) == ("万元", D("0.1"))  # 9.0 万元
    assert one("003", "three_public_abroad", 1452) == ("元", D("0.0001"))  # 因公出国（境）费0元
    assert one("003", "gpb_income", 1444) == (None, D("0.01"))  # 一般公共预算收入89.45， (no unit printed)


def test_money_is_exact_decimal_and_text_is_the_sentence(data):
    assert data.narrative_facts.schema["value"] == pl.Decimal(18, 6)
    row = facts_of(data, "000").filter(pl.col("fact") == "total_change").row(0, named=True)
    assert "较2022年增加57.33万元" in row["text"]


def test_clauses_keep_brackets_apart():
    sentence = "公务用车购置及运维费0.16万元（其中：公务用车购置费0万元，公务用车运行维护费0.16万元)；公务接待费0万元。"
    parts = clauses(sentence, 0)
    assert [c.text.replace("\x00", "") for c in parts] == ["公务用车购置及运维费0.16万元", "公务接待费0万元。"]
    assert parts[0].brackets[0][0] == "其中：公务用车购置费0万元，公务用车运行维护费0.16万元"


@pytest.mark.parametrize(
    "number, unit, step",
    [("57.33", "万元", D("0.01")), ("552", "万元", D("1")), ("9.0", "万元", D("0.1")), ("500", "元", D("0.0001"))],
)
def test_precision_of_printed_figures(number, unit, step):
    assert precision_of(number, unit) == step


def _texts(sentence):
    return [c.text.replace("\x00", "") for c in clauses(sentence, 0)]


def test_clauses_do_not_cut_numbers_at_thousands_separators():
    # Jiangsu 2019, page 25: "…收入、支出预算总计24,169.74万元，与上年相比收、支预算总计各增加2214.39万元"
    assert _texts("收入、支出预算总计24,169.74万元，与上年相比收、支预算总计各增加2214.39万元。") == [
        "收入、支出预算总计24,169.74万元",
        "与上年相比收、支预算总计各增加2214.39万元。",
    ]
    # the same with a full-width comma, and a number of three groups
    assert _texts("支出预算24，169.74万元，其中：基本支出1,234,567元") == ["支出预算24，169.74万元", "其中", "基本支出1,234,567元"]
    # a comma between two figures still ends the clause: "0万元,其中" and "1,23" is no thousands group
    assert _texts("公务用车运行费0万元,其中公车购置经费0万元") == ["公务用车运行费0万元", "其中公车购置经费0万元"]
    assert _texts("增长1,23人") == ["增长1", "23人"]


def test_function_subject_marks_stay_in_the_name():
    # Jiangsu 2019, page 27: "1．检察（款）行政运行（项）支出12,268.62万元" — （款）（项） are part of the name
    parts = clauses("1．检察（款）行政运行（项）支出12,268.62万元，与上年相比增加1385.26万元", 0)
    assert parts[0].text == "1．检察（款）行政运行（项）支出12,268.62万元"
    assert parts[0].brackets == ()



def test_clauses_mask_nested_and_unclosed_brackets():
    # a bracket inside a bracket (even a （类）) is part of the outer one; an unclosed bracket runs to the end
    first, second = clauses("收入（含（类）项目，其他）100万元，支出（未完", 5)
    assert first.text == "收入" + "\x00" * len("（含（类）项目，其他）") + "100万元"
    assert (first.offset, first.brackets) == (5, (("含（类）项目，其他", 8),))
    assert second.text == "支出" + "\x00" * len("（未完")
    assert (second.offset, second.brackets) == (24, (("未完", 27),))

@pytest.mark.parametrize(
    "line, expected",
    [
        ("一、收支预算总体情况说明", (True, "overview")),  # Jiangsu 2019 p.25
        ("九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明", (True, "three_public")),  # Jiangsu p.30
        ("十一、一般公共预算机关运行经费支出预算情况说明", (True, "operating")),  # Jiangsu p.31
        ("一、2025年“三公”经费预算情况说明", (True, "three_public")),  # Shanghai budget 2025 p.22
        ("2025年部门预算编制说明", (True, "overview")),  # Shanghai budget 2025 p.7, unnumbered
        ("四、财政拨款收入支出决算总体情况说明", (True, "overview")),  # Shanghai final 2024 p.21
        ("十一、其他重要事项的情况说明", (True, "other")),  # Shanghai final p.23
        ("（二）政府采购支出情况", (True, "procurement")),  # Shanghai final p.24, under 十一
        ("一、主要职责", (True, None)),  # Jiangsu p.3: a numbered heading that closes the section
        ("十、政府性基金预算支出预算情况说明", (True, None)),
        ("第三部分2019年度部门预算情况说明", (True, None)),
        ("（一）公共安全（类）", (False, None)),  # Jiangsu p.27: a list head, not a section
        ("（一）收入预算总计24,169.74万元。包括：", (False, None)),
        ("四、财政拨款“三公”经费预算情况及增减变化原因：2022 年部门“三公”经费 9.0 万元", (True, "three_public")),
    ],
)
def test_headings(line, expected):
    assert heading_of(line) == expected
