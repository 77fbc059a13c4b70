"""Figures of the 情况说明 of the three published PDFs in data/raw/, and final-account prose.

Every expected row was read off the quoted sentence of the document (pdftotext and
the page image), not copied from the parser's output. Lines are numbered as
budgetlib numbers PDF lines: page × 1000 + the row on the page (25003 = 第25页第3行).
"""
from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from budgetlib.extract.prose_facts import narrative_facts
from budgetlib.extract.document import parse_document
from budgetlib.read.rows import Cell, Row
from conftest import real_document

JS_BUDGET = "js_jcy_2019_dept_budget.pdf"
SH_FINAL = "sh_pt_czj_2024_dept_final.pdf"
SH_BUDGET = "sh_pt_swj_2025_dept_budget.pdf"


@pytest.fixture(scope="module")
def facts():
    return {name: parse_document(real_document(name)).records["narrative_facts"] for name in (JS_BUDGET, SH_FINAL, SH_BUDGET)}


# (fact, year, value, subject, source_line); is_derived is False unless listed in DERIVED.
EXPECTED = {
    JS_BUDGET: [
        # 25003: 江苏省人民检察院2019年度收入、支出预算总计24,169.74万元，与上年相比收、支预算总计各增加2214.39万元，增长10.06 %。
        ("grand_total", 2019, D("24169.74"), None, 25003),
        ("grand_total_change", 2019, D("2214.39"), None, 25003),
        ("grand_total_prior", 2018, D("21955.35"), None, 25003),  # derived: 24169.74 − 2214.39
        # 25006: （一）收入预算总计24,169.74万元。  25007: 1．财政拨款收入预算总计24,169.74万元。
        ("total_income", 2019, D("24169.74"), None, 25006),
        ("fiscal_income", 2019, D("24169.74"), None, 25007),
        # 25008: （1）一般公共预算收入预算24,169.74万元，与上年相比增加2228.78万元，增长10.15%。
        ("gpb_income", 2019, D("24169.74"), None, 25008),
        ("gpb_income_change", 2019, D("2228.78"), None, 25008),
        # 25012: （二）支出预算总计24,169.74万元。
        ("total_expenditure", 2019, D("24169.74"), None, 25012),
        # 25013: 1．公共安全（类）支出16,593.12万元。主要用于…。与上年相比增加134.37万元，增长0.82 %。
        ("function_subject", 2019, D("16593.12"), "公共安全（类）支出", 25013),
        ("function_subject_change", 2019, D("134.37"), "公共安全（类）支出", 25013),
        # 25019: 2．社会保障和就业支出1890.27万元。…与上年相比增加54.05万元 (the class printed without （类）)
        ("function_subject", 2019, D("1890.27"), "社会保障和就业支出", 25019),
        ("function_subject_change", 2019, D("54.05"), "社会保障和就业支出", 25019),
        # 26006: 此外，基本支出预算数为15,844.04万元。与上年相比增加1849.73万元，增长13.22 %。
        ("basic_expenditure", 2019, D("15844.04"), None, 26006),
        ("basic_change", 2019, D("1849.73"), None, 26006),
        ("basic_prior", 2018, D("13994.31"), None, 26006),  # derived
        # 26009: 项目支出预算数为4335.3万元。与上年相比减少了1237.7万元，减少13.22 %。
        ("project_expenditure", 2019, D("4335.3"), None, 26009),
        ("project_change", 2019, D("-1237.7"), None, 26009),
        ("project_prior", 2018, D("5573.0"), None, 26009),  # derived
        # 26014: 单位预留机动经费预算数为3990.4万元。与上年相比增加1602.36万元，增长67.1 %。
        ("reserve_expenditure", 2019, D("3990.4"), None, 26014),
        ("reserve_expenditure_change", 2019, D("1602.36"), None, 26014),
        # 26018 / 26019: 省检察院本年收入预算合计24,169.74万元，其中： / 一般公共预算收入24,169.74万元，占100 %。
        ("total_income", 2019, D("24169.74"), None, 26018),
        ("gpb_income", 2019, D("24169.74"), None, 26019),
        # 26021-27001: 本年支出预算合计24,169.74万元，其中：基本支出15,844.04万元，占65.56%；
        #              项目支出4335.3万元，占17.94%；单位预留机动经费3990.4万元，占16.5%；
        ("total_expenditure", 2019, D("24169.74"), None, 26021),
        ("basic_expenditure", 2019, D("15844.04"), None, 26022),
        ("project_expenditure", 2019, D("4335.3"), None, 26023),
        ("reserve_expenditure", 2019, D("3990.4"), None, 27001),
        # 27003: 省检察院2019年度财政拨款收、支总预算24,169.74万元。与上年相比，财政拨款收、支总计各增加2228.78万元
        ("fiscal_total", 2019, D("24169.74"), None, 27003),
        ("fiscal_total_change", 2019, D("2228.78"), None, 27003),
        # 27008: 省检察院2019年财政拨款预算支出24,169.74万元，…与上年相比，财政拨款支出增加2228.78万元
        ("fiscal_expenditure", 2019, D("24169.74"), None, 27008),
        ("fiscal_expenditure_change", 2019, D("2228.78"), None, 27008),
        # 27013: 1．检察（款）行政运行（项）支出12,268.62万元，与上年相比增加1385.26万元
        ("function_subject", 2019, D("12268.62"), "检察（款）行政运行（项）支出", 27013),
        ("function_subject_change", 2019, D("1385.26"), "检察（款）行政运行（项）支出", 27013),
        # 27016: 2．检察（款）一般行政管理事务(项)支出2354.4万元，与上年相比减少1311.6万元
        ("function_subject", 2019, D("2354.4"), "检察（款）一般行政管理事务(项)支出", 27016),
        ("function_subject_change", 2019, D("-1311.6"), "检察（款）一般行政管理事务(项)支出", 27016),
        # 28006: 4．检察（款）事业运行(项)支出315万元
        ("function_subject", 2019, D("315"), "检察（款）事业运行(项)支出", 28006),
        # 29002: 1．住房改革支出（款）住房公积金（项）支出1442.74万元，与上年相比增加368.97万元
        ("function_subject", 2019, D("1442.74"), "住房改革支出（款）住房公积金（项）支出", 29002),
        ("function_subject_change", 2019, D("368.97"), "住房改革支出（款）住房公积金（项）支出", 29002),
        # 29009-29015: 财政拨款基本支出预算15,844.04万元。其中：（一）人员经费13,452.12万元。… （二）公用经费2391.92万元。
        ("fiscal_basic_expenditure", 2019, D("15844.04"), None, 29009),  # 财政拨款 basic: its own fact
        ("personnel", 2019, D("13452.12"), None, 29011),
        ("public_use", 2019, D("2391.92"), None, 29015),
        # 29020: 省检察院2019年一般公共预算财政拨款支出预算24,169.74万元，与上年相比增加2228.78万元
        ("gpb_expenditure", 2019, D("24169.74"), None, 29020),
        ("gpb_expenditure_change", 2019, D("2228.78"), None, 29020),
        # 30014: …因公出国（境）费支出80万元，占“三公”经费的19.1%；公务用车购置及运行费支出237万元，…；
        #        公务接待费支出101.26万元，占“三公”经费的24.2%。
        ("three_public_abroad", 2019, D("80"), None, 30014),
        ("three_public_vehicle", 2019, D("237"), None, 30014),
        ("three_public_reception", 2019, D("101.26"), None, 30014),
        # 30019: 1．因公出国（境）费预算支出80万元，比上年预算减少20万元
        ("three_public_abroad_change", 2019, D("-20"), None, 30019),
        ("three_public_abroad_prior", 2018, D("100"), None, 30019),  # derived
        # 30023 / (page number 30) / 31001: 公务用车运行维护费预算支出237万元，比上年预算减少 | 30 | 30.8万元，
        ("three_public_vehicle_operation", 2019, D("237"), None, 30023),
        ("three_public_vehicle_operation_change", 2019, D("-30.8"), None, 31001),
        # 31003: 3．公务接待费预算支出101.26万元，比上年预算减少15.24万元
        ("three_public_reception_change", 2019, D("-15.24"), None, 31003),
        # 31006: …会议费预算支出158.44万元，比上年预算减少42万元   31010: …培训费预算支出700万元，与上年持平。
        ("meeting_expense", 2019, D("158.44"), None, 31006),
        ("meeting_expense_change", 2019, D("-42"), None, 31006),
        ("training_expense", 2019, D("700"), None, 31010),
        ("training_expense_change", 2019, D("0"), None, 31010),
        # 31017: 2019年省检察院一般公共预算机关运行经费预算支出2391.92万元，与上年相比减少330.65万元
        ("operating_cost", 2019, D("2391.92"), None, 31017),
        ("operating_cost_change", 2019, D("-330.65"), None, 31017),
        ("operating_cost_prior", 2018, D("2722.57"), None, 31017),  # derived
        # 31023 / 32001: 2019年度政府采购支出预算总额2744.84万元，其中：拟采 | 购货物支出303.4万元、拟购买服务支出2441.44万元。
        ("procurement_total", 2019, D("2744.84"), None, 31023),
        ("procurement_goods", 2019, D("303.4"), None, 32001),
        ("procurement_services", 2019, D("2441.44"), None, 32001),
    ],
    SH_FINAL: [
        # 21004: 上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元
        ("grand_total", 2024, D("2995.39"), None, 21004),
        ("grand_total_change", 2024, D("-56.95"), None, 21004),
        ("grand_total_prior", 2023, D("3052.34"), None, 21004),  # derived
        # 21008: 本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；
        ("total_income", 2024, D("2946.25"), None, 21008),
        ("fiscal_income", 2024, D("2940.05"), None, 21008),
        ("other_income", 2024, D("6.2"), None, 21008),
        # 21011: 本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%；
        ("total_expenditure", 2024, D("2940.05"), None, 21011),
        ("basic_expenditure", 2024, D("2336.91"), None, 21011),
        ("project_expenditure", 2024, D("603.14"), None, 21011),
        # 21014: …2024年度财政拨款收入支出总计0.3万元。与2023年度相比，财政拨款收入支出总计持平。
        # (0.3 is what the document prints; its 财政拨款收入支出决算总表 总计 is 2,961.68)
        ("fiscal_total", 2024, D("0.3"), None, 21014),
        ("fiscal_total_change", 2024, D("0"), None, 21014),
        # 21020: 一般公共预算财政拨款支出2940.05万元，…与2023年度相比，一般公共预算财政拨款支出减少63.14万元
        ("gpb_expenditure", 2024, D("2940.05"), None, 21020),
        ("gpb_expenditure_change", 2024, D("-63.14"), None, 21020),
        ("gpb_expenditure_prior", 2023, D("3003.19"), None, 21020),  # derived
        # 21024: …主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；…住房保障支出（类）445.69万元
        ("function_subject", 2024, D("2106.66"), "一般公共服务支出（类）", 21024),
        ("function_subject", 2024, D("445.69"), "住房保障支出（类）", 21024),
        # 21029: 一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。
        ("gpb_expenditure_budget", 2024, D("2993.92"), None, 21029),
        ("gpb_expenditure", 2024, D("2940.05"), None, 21029),
        # 22001: 1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：…。年初预算为1560.05万元，支出决算为1511.89万元。
        ("function_subject_budget", 2024, D("1560.05"), "一般公共服务支出（类）财政事务（款）行政运行（项）", 22001),
        ("function_subject", 2024, D("1511.89"), "一般公共服务支出（类）财政事务（款）行政运行（项）", 22001),
        # 22028-22029: 9、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。主要用于： |
        #              在职人员基本医疗保险费。年初预算为62.29万元，支出决算为60.99万元。
        ("function_subject_budget", 2024, D("62.29"), "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", 22029),
        ("function_subject", 2024, D("60.99"), "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", 22029),
        # 23002: 一般公共预算财政拨款基本支出2336.91万元。其中：人员经费2152.26万元，…；公用经费184.65万元，…
        ("gpb_basic_expenditure", 2024, D("2336.91"), None, 23002),  # 一般公共预算 basic: its own fact
        ("personnel", 2024, D("2152.26"), None, 23002),
        ("public_use", 2024, D("184.65"), None, 23002),
        # 23010: “三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：
        #        因公出国（境）费决算为0.00万元，…；公务用车购置及运行维护费支出决算为0.00万元，…；公务接待费支出决算为0.00万元
        ("three_public_total_budget", 2024, D("0.95"), None, 23010),
        ("three_public_total", 2024, D("0.00"), None, 23010),
        ("three_public_abroad", 2024, D("0.00"), None, 23010),
        ("three_public_vehicle", 2024, D("0.00"), None, 23010),
        ("three_public_reception", 2024, D("0.00"), None, 23010),
        # 23015: 2024年度“三公”经费财政拨款支出决算数与2023年度持平。其中：因公出国（境）费支出决算持平；…
        ("three_public_change", 2024, D("0"), None, 23015),
        ("three_public_abroad_change", 2024, D("0"), None, 23015),
        ("three_public_vehicle_change", 2024, D("0"), None, 23015),
        ("three_public_reception_change", 2024, D("0"), None, 23015),
        ("three_public_prior_total", 2023, D("0.00"), None, 23015),  # derived from the 决算 0.00, not the 0.95 budget
        # 24001: 机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。…（二）政府采购支出情况
        ("operating_cost", 2024, D("184.65"), None, 24001),
        ("operating_cost_change", 2024, D("2.55"), None, 24001),
        ("operating_cost_prior", 2023, D("182.10"), None, 24001),  # derived
        # 24004: …政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。
        ("procurement_total", 2024, D("251.25"), None, 24004),
        ("procurement_goods", 2024, D("4.79"), None, 24004),
        ("procurement_works", 2024, D("0"), None, 24004),
        ("procurement_services", 2024, D("246.47"), None, 24004),
        # 24006: 2024年度本部门面向中小企业预留政府采购项目预算金额246.47万元，面向小微企业预留政府采购项目预算金额0万元。
        ("procurement_sme_reserved", 2024, D("246.47"), None, 24006),
        ("procurement_small_micro_reserved", 2024, D("0"), None, 24006),
    ],
    SH_BUDGET: [
        # 7002: 2025年，上海市普陀区商务委员会收入预算37,151.47万元，其中：财政拨款收入37,151.47万元，
        #       比2024年预算执行数增加24,558.18万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。
        ("total_income", 2025, D("37151.47"), None, 7002),
        ("fiscal_income", 2025, D("37151.47"), None, 7002),
        ("fiscal_income_change", 2025, D("24558.18"), None, 7002),
        ("business_income", 2025, D("0"), None, 7002),
        ("operating_income", 2025, D("0"), None, 7002),
        ("other_income", 2025, D("0"), None, 7002),
        # 7004: 支出预算37,151.47万元，其中：财政拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元。
        #       …一般公共预算拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元；政府性基金拨款支出预算0万元，
        #       比2024年预算执行数持平；国有资本经营预算拨款支出预算0万元，比2024年预算执行数持平。
        ("total_expenditure", 2025, D("37151.47"), None, 7004),
        ("fiscal_expenditure", 2025, D("37151.47"), None, 7004),
        ("fiscal_expenditure_change", 2025, D("24491.71"), None, 7004),
        ("gpb_expenditure", 2025, D("37151.47"), None, 7004),
        ("gpb_expenditure_change", 2025, D("24491.71"), None, 7004),
        ("gov_fund_expenditure", 2025, D("0"), None, 7004),
        ("gov_fund_expenditure_change", 2025, D("0"), None, 7004),
        ("soe_capital_expenditure", 2025, D("0"), None, 7004),
        ("soe_capital_expenditure_change", 2025, D("0"), None, 7004),
        # 7009: 1. “一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于…
        ("function_subject", 2025, D("938.99"), "一般公共服务支出（类）商贸事务（款）行政运行（项）", 7009),
        # 8007: 13. “资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款)其他支持中小企业发展和管理支出（项）”29,381.00万元
        (
            "function_subject", 2025, D("29381.00"),
            "资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款)其他支持中小企业发展和管理支出（项）", 8007,
        ),
        # 22003: 2025年“三公”经费预算数为1.00万元，与2024年预算持平。其中：
        ("three_public_total", 2025, D("1.00"), None, 22003),
        ("three_public_change", 2025, D("0"), None, 22003),
        ("three_public_prior_total", 2024, D("1.00"), None, 22003),  # derived
        # 22004: （一）因公出国（境）费0万元，与2024年预算持平，…
        ("three_public_abroad", 2025, D("0"), None, 22004),
        ("three_public_abroad_change", 2025, D("0"), None, 22004),
        # 22005: （二）公务用车购置及运行费0万元，与2024年预算持平，主要原因是无公务用车车辆。其中：公务用车购置费0万元，
        #        与2024年预算持平，主要原因是无公务用车车辆；公务用车运行费0万元，与2024年预算持平，…
        ("three_public_vehicle", 2025, D("0"), None, 22005),
        ("three_public_vehicle_purchase", 2025, D("0"), None, 22005),
        ("three_public_vehicle_operation", 2025, D("0"), None, 22005),
        ("three_public_vehicle_operation_change", 2025, D("0"), None, 22005),
        # 22007: （三）公务接待费1.00万元。与2024年预算持平，…
        ("three_public_reception", 2025, D("1.00"), None, 22007),
        ("three_public_reception_change", 2025, D("0"), None, 22007),
        # 22009: 2025年上海市普陀区商务委员会财政拨款的机关运行经费预算为171.01万元。
        ("operating_cost", 2025, D("171.01"), None, 22009),
        # 22011: 2025年度本部门政府采购预算38.20万元，其中：政府采购货物预算7.80万元、政府采购工程预算0万元、政府采购服务预算30.40万元。
        ("procurement_total", 2025, D("38.20"), None, 22011),
        ("procurement_goods", 2025, D("7.80"), None, 22011),
        ("procurement_works", 2025, D("0"), None, 22011),
        ("procurement_services", 2025, D("30.40"), None, 22011),
    ],
}
DERIVED = {
    (JS_BUDGET, f) for f in ("grand_total_prior", "basic_prior", "project_prior", "three_public_abroad_prior", "operating_cost_prior")
} | {
    (SH_FINAL, f) for f in ("grand_total_prior", "gpb_expenditure_prior", "three_public_prior_total", "operating_cost_prior")
} | {(SH_BUDGET, "three_public_prior_total")}


def _rows(facts, fact, line=None, subject=...):
    return [
        f
        for f in facts
        if f["fact"] == fact
        and (line is None or f["source_line"] == line)
        and (subject is ... or f["subject"] == subject)
    ]


@pytest.mark.parametrize("name", [JS_BUDGET, SH_FINAL, SH_BUDGET])
def test_prose_figures_of_the_published_documents(facts, name):
    for fact, year, value, subject, line in EXPECTED[name]:
        rows = _rows(facts[name], fact, line, subject)
        assert len(rows) == 1, f"{fact} {subject} at line {line}: {len(rows)} rows"
        row = rows[0]
        assert (row["year"], row["value"]) == (year, value), (fact, line, row["year"], row["value"])
        assert row["is_derived"] == ((name, fact) in DERIVED), fact


def test_numbers_with_thousands_separators_are_read_whole(facts):
    # Jiangsu prints 24,169.74 eleven times in the prose (pages 25–29), 15,844.04 three times,
    # 13,452.12 twice (29011, 30004): never as 24, 15 or 13.
    js = facts[JS_BUDGET]
    whole = {f["source_line"] for f in js if f["value"] == D("24169.74")}
    assert {25003, 25006, 25007, 25008, 25012, 26018, 26019, 26021, 27003, 27008, 29020} <= whole
    assert {f["source_line"] for f in js if f["value"] == D("13452.12")} == {29011, 30004}
    assert not [f for f in js if f["value"] in (D(24), D(16), D(15), D(13), D(12))]
    # Shanghai: 37,151.47 and 29,381.00 (7002, 7004, 8007)
    assert not [f for f in facts[SH_BUDGET] if f["value"] in (D(37), D(29))]


def test_reasons_and_class_changes_are_not_read_as_totals(facts):
    js = facts[JS_BUDGET]
    # 26009 / 27016: "主要原因…二是纳入2018年预算管理的700万元培训费收入…；三是…分流315万元"
    # 28001: "主要原因一是…划转240万元办案费;二是…分流469.5万元": reasons, not facts
    assert [f for f in js if f["source_line"] in (26009, 27016, 28001) and f["value"] in (D(700), D(315), D(240), D("469.5"))] == []
    # The changes of 25013, 25019, 26001, 27013 … belong to their function subjects: the document
    # states no change of 支出合计 (its 2214.39 is of the 收、支预算总计, 25003).
    assert _rows(js, "total_change") == []
    assert _rows(js, "total_expenditure", subject=None) == _rows(js, "total_expenditure", 25012) + _rows(js, "total_expenditure", 26021)
    # Part 1 (主要职责, 工作任务, pages 3–13) has no figures of the 情况说明.
    assert min(f["source_line"] for f in js) >= 25000


def test_final_account_levels_are_actuals(facts):
    final = facts[SH_FINAL]
    # 23010: 年初预算为0.95万元，支出决算为0.00万元 — the level is the actual, the budget kept apart
    assert [f["value"] for f in _rows(final, "three_public_total")] == [D("0.00")]
    assert [(f["year"], f["value"]) for f in _rows(final, "three_public_total_budget")] == [(2024, D("0.95"))]
    assert [(f["year"], f["value"]) for f in _rows(final, "three_public_prior_total")] == [(2023, D("0.00"))]
    # "决算数与预算数基本持平" (22001, 22025, 22034) compares the actual with the budget: no change
    assert _rows(final, "function_subject_change") == []
    # 24006: "由中小企业供应商中标或成交的，采购金额246.47万元" is no second 政府采购 total
    assert [f["value"] for f in _rows(final, "procurement_total")] == [D("251.25")]


def test_shanghai_budget_reads_only_the_explanation(facts):
    sh = facts[SH_BUDGET]
    # The 专项经费情况说明 pages (23–26: "2025年度项目总预算1720.00万") are not the 情况说明.
    assert max(f["source_line"] for f in sh) < 23000
    assert [f["value"] for f in _rows(sh, "procurement_total")] == [D("38.20")]


def _ctx(lines: list[str], doc_kind: str, year: int = 2024):
    rows = [Row((Cell(text, i),), False) for i, text in enumerate(lines, start=1)]
    return SimpleNamespace(doc_id="d", rows=rows, meta=SimpleNamespace(fiscal_year=year, doc_kind=doc_kind))


def _facts_of(lines, doc_kind):
    return {(f["fact"], f["year"], f["value"]) for f in narrative_facts(_ctx(lines, doc_kind))["narrative_facts"]}


def test_final_account_sentences():
    lines = [
        "十一、其他重要事项的情况说明",
        "（一）机关运行经费支出情况",
        "机关运行经费支出184.65万元，比2023年度减少2.55万元，下降1.36%。",
        "七、财政拨款“三公”经费支出决算情况说明",
        "“三公”经费财政拨款支出年初预算为3.50万元，支出决算为2.10万元，完成预算的60%，其中：公务接待费支出决算为2.10万元。"
        "2024年度“三公”经费财政拨款支出决算比2023年度增加0.40万元。",
    ]
    got = _facts_of(lines, "final_accounts")
    assert {
        ("operating_cost", 2024, D("184.65")),
        ("operating_cost_change", 2024, D("-2.55")),
        ("operating_cost_prior", 2023, D("187.20")),
        ("three_public_total", 2024, D("2.10")),
        ("three_public_total_budget", 2024, D("3.50")),
        ("three_public_reception", 2024, D("2.10")),
        ("three_public_change", 2024, D("0.40")),
        ("three_public_prior_total", 2023, D("1.70")),
    } == got
    # The same words in a budget are budget figures: no 决算 reading there.
    budget = _facts_of(lines, "budget")
    assert ("three_public_total_budget", 2024, D("3.50")) not in budget
    assert ("three_public_total", 2024, D("3.50")) in budget
