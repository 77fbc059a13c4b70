"""Units, procurement, fixed assets and 第一部分 goals, against the documents."""
from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

from budgetlib.errors import ParseError
from budgetlib.read.text_shapes import read_rows
from budgetlib.extract.small_tables import asset_rows, procurement_rows
from conftest import SEEDS


def of(data, table: str, seed: str) -> pl.DataFrame:
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS[seed])["doc_id"].item()
    return data[table].filter(pl.col("doc_id") == doc_id)


@pytest.mark.parametrize(
    "seed, expected",
    [
        # 000 lines 386-387
        ("000", [
            ("秦皇岛经济技术开发区总工会(本级)", "行政", "副处(县)级", "财政拨款", 386),
            ("秦皇岛经济技术开发区工会联合会经费审查委员会(秦皇岛经济技术开发区职工服务中心)", "事业", "正科级",
             "财政性资金基本保证", 387),
        ]),
        # 001 lines 414-415
        ("001", [
            ("中共秦皇岛经济技术开发区工作委员会办公室(本级)", "行政", "副处(县)级", "财政拨款", 414),
            ("秦皇岛经济技术开发区暑期服务中心", "事业", "正科级", "财政性资金基本保证", 415),
        ]),
        # 002 lines 1510-1513, one cell per line: the row's line is its first cell
        ("002", [("平乡县总工会本级", "行政", "正科级", "财政拨款", 1510)]),
        # 003 lines 1435-1438
        ("003", [("工会部门山海关区总工会本级", "行政", "正科级", "财政拨款", 1435)]),
        ("004", []),  # the performance text has no 机构设置
    ],
)  # fmt: skip
def test_units(data, seed, expected):
    units = of(data, "units", seed).sort("unit_no")
    assert units.select("unit_name", "unit_type", "rank", "funding_form", "source_line").rows() == expected


def test_procurement_of_001(data):
    rows = of(data, "procurement", "001").sort("row_no")
    # 861: 合计→→→→→→→137.50→137.50→…   862: …（本级）小计→…→137.50→137.50
    assert rows.select("row_kind", "total", "gpb", "source_line").rows() == [
        ("total", D("137.50"), D("137.50"), 861),
        ("subtotal", D("137.50"), D("137.50"), 862),
        ("item", D("137.50"), D("137.50"), 863),
    ]
    # 863: 党政专用电视会议系统建设（涉密）→137.50→其他视频会议系统设备→A02080899→套→1→137.50→137.50→137.50
    item = rows.row(2, named=True)
    assert (item["project_name"], item["project_budget"], item["item_name"], item["catalog_code"]) == (
        "党政专用电视会议系统建设（涉密）", D("137.50"), "其他视频会议系统设备", "A02080899",
    )  # fmt: skip
    assert (item["measure_unit"], item["quantity"], item["unit_price"], item["gov_fund"]) == ("套", D("1"), D("137.50"), None)


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_empty_procurement_and_asset_tables_give_no_rows(data, seed):
    # "注：无政府采购预算，空表列示。" and asset tables printed with blank cells only
    assert of(data, "procurement", seed).height == 0
    assert of(data, "assets", seed).height == 0


def test_assets_of_001_across_the_page_break(data):
    rows = of(data, "assets", "001").sort("row_no")
    # 878 before the page break, 885-891 after the repeated department line and header
    assert rows.select("item", "value", "is_total", "source_line").rows() == [
        ("土地、房屋及建构物", D("29.23"), False, 878),
        ("通用设备", D("841.66"), False, 885),
        ("专用设备", D("6.84"), False, 886),
        ("文物和陈列品", D("0"), False, 887),
        ("图书、档案", D("0"), False, 888),
        ("家具、用具、装具及动植物", D("222.49"), False, 889),
        ("无形资产", D("12.71"), False, 890),
        ("合计", D("1112.93"), True, 891),
    ]
    assert set(rows["as_of"].to_list()) == {"2022-12-31"}  # 截止时间：2022-12-31
    assert all(q is None for q in rows["quantity"].to_list())  # the 数量 column is blank


@pytest.mark.parametrize(
    "seed, items, pairs, overall_start",
    [
        ("000", 8, 8, "年度总体目标：充分发挥工青妇群团组织"),  # 一、职工职业技能大赛 … 八、群众性工作
        ("001", 9, 33, "2023 年，工委办公室将紧密围绕"),  # {一}…{九}, 3+6+3+3+4+4+3+3+4 goal/indicator pairs
        ("002", 3, 3, "1、开展困难职工帮扶"),
        ("003", 10, 0, "1.做好劳模服务管理工作。"),  # items without 绩效目标/绩效指标 labels
        ("004", 2, 2, "高新区总工会在工管委的正确领导"),
    ],
)
def test_goals_per_document(data, seed, items, pairs, overall_start):
    goals = of(data, "goals", seed)
    overall = goals.filter(pl.col("kind") == "overall")
    assert overall.height == 1 and overall["goal"].item().startswith(overall_start)
    item_rows = goals.filter(pl.col("kind") == "item")
    assert item_rows["item_no"].n_unique() == items
    assert item_rows.filter(pl.col("sub_no").is_not_null()).height == pairs


def test_goal_text_and_page_break_join(data):
    goals = of(data, "goals", "001")
    # 433 "…推动全区性重大活动的深入开" + 435 "展；做好财务、…": one text across the page break
    assert "深入开展；做好财务" in goals.filter(pl.col("kind") == "overall")["goal"].item()
    # 517 "3、绩效目标：做好区直机关入党积极分子…" then 519 "4、绩效指标：高标准打造…" (numbered by mistake)
    row = goals.filter((pl.col("item_no") == 5) & (pl.col("sub_no") == 3)).row(0, named=True)
    assert row["item_title"] == "做好区直机关党建工作"
    assert row["goal"].startswith("做好区直机关入党积极分子") and row["indicator"].startswith("高标准打造")
    first = of(data, "goals", "002").filter(pl.col("item_no") == 1).row(0, named=True)
    # 1534: 1、维护职工合法权益。通过组织开展民主管理、…
    assert first["item_title"] == "维护职工合法权益" and first["description"].startswith("通过组织开展民主管理")


PROCUREMENT_BAD_HEADER = """部门政府采购预算
715 某单位
单位：万元
政府采购项目来源\t\t采购物品名称\t政府采购目录序号\t计量单位\t数量\t单价\t金额
项目名称\t预算资金\t\t\t\t\t\t合计\t一般公共预算拨款
某项目\t1.00\t电脑\tA02\t台\t1\t1.00\t1.00\t1.00
注：示例。
"""

ASSETS_BAD_VALUE = """部门固定资产占用情况表
715 某单位
截止时间：2022-12-31
项 目\t数量\t价值（金额单位：万元）
通用设备\t\t八百
"""

ASSETS_IN_YUAN = """部门固定资产占用情况表
715 某单位
截止时间：2022-12-31
项 目\t数量\t价值（金额单位：元）
通用设备\t2\t12,500.00
"""


def test_procurement_header_that_cannot_be_mapped_names_file_and_line():
    _, rows = read_rows(PROCUREMENT_BAD_HEADER)
    with pytest.raises(ParseError) as err:
        procurement_rows(rows, "bad.txt")
    assert err.value.file == "bad.txt" and err.value.line == 4
    assert "非财政拨款结转结余" in err.value.message


def test_asset_value_that_is_not_a_number_names_file_and_line():
    _, rows = read_rows(ASSETS_BAD_VALUE)
    with pytest.raises(ParseError) as err:
        asset_rows(rows, "bad.txt")
    assert (err.value.file, err.value.line) == ("bad.txt", 5)


def test_assets_printed_in_yuan_are_converted_to_wan():
    _, rows = read_rows(ASSETS_IN_YUAN)
    (row,) = asset_rows(rows, "yuan.txt")
    assert (row["item"], row["quantity"], row["value"]) == ("通用设备", D("2"), D("1.25"))


NEW_TABLES = ["narrative_facts", "units", "procurement", "assets", "goals", "projects", "indicators"]


def test_new_tables_are_in_parquet_duckdb_and_the_load_api(processed, data):
    import duckdb

    for name in NEW_TABLES:
        assert (processed / f"{name}.parquet").exists(), name
    con = duckdb.connect(str(processed / "budget.duckdb"), read_only=True)
    try:
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in NEW_TABLES}
    finally:
        con.close()
    assert counts["projects"] == 41 and counts["indicators"] == 303 and counts["assets"] == 8
    assert {name: data[name].height for name in NEW_TABLES} == counts
