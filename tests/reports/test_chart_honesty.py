"""Charts that do not mislead: no empty axes, no shifted bars, axes from zero, units named."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlib.analysis.report_table import ReportTable, money_column, text_column
from budgetlib.batch.pipeline import check_to
from budgetlib.reports import charts, year_charts
from budgetlib.reports import department_report as D
from budgetlib.reports.blocks import Note

D2 = Decimal


def test_sample_002s_vehicle_operation_is_drawn(processed):
    # data/raw/002 (平乡县总工会): the 三公 table prints only 公务用车运行维护费 0.16 (line 1479).
    check_to(processed)
    chart = D.three_public_chart(D.open_department("平乡县总工会", None, processed, processed / "unused"))
    (ax,) = chart.figure.axes
    heights = {round(p.get_height(), 2) for p in ax.patches}
    assert 0.16 in heights
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] > 0.16
    assert "公务用车运行维护费" in [t.get_text() for t in ax.get_xticklabels()]
    assert "万元" in ax.get_ylabel()
    assert any(t.get_text() == "未列示" for t in ax.texts)  # 因公出国（境）费 and 公务接待费 are blank


def _three_public(rows):
    cols = [text_column("类别"), money_column("本年预算"), money_column("上年")]
    return ReportTable("三公经费", "三公", cols, rows)


def test_all_blank_or_zero_is_a_sentence_not_a_chart():
    zero = _three_public([("合计", D2(0), None), ("因公出国（境）费", D2(0), None), ("公务接待费", None, None)])
    assert isinstance(charts.three_public_chart(zero), Note)
    assert isinstance(charts.trend_chart({"甲": [(2022, D2(0)), (2023, None)]}, "趋势"), Note)
    assert isinstance(charts.ranked_bar_chart(["甲"], [None], "排名"), Note)
    panels = {"收入合计": {"values": [(2022, None), (2023, D2(0))]}}
    assert isinstance(year_charts.measure_panels(panels, [2022, 2023], "年度"), Note)


def _bars(ax):
    """(left, width) of each drawn segment, by row."""
    rows = {}
    for p in ax.patches:
        rows.setdefault(round(p.get_y(), 3), []).append((round(p.get_x(), 4), round(p.get_width(), 4)))
    return rows


def test_a_department_without_personnel_and_public_use_starts_at_zero():
    labels = ["甲", "乙"]
    parts = {
        "人员经费": [D2("0.5"), None], "公用经费": [D2("0.1"), None],
        "项目支出": [D2("0.4"), D2("0.3")], "基本支出": [D2("0.6"), D2("0.7")],
    }
    chart = charts.stacked_share_chart(labels, parts, "结构")
    (ax,) = chart.figure.axes
    for segments in _bars(ax).values():
        segments.sort()
        assert segments[0][0] == 0  # every bar starts at 0 …
        assert sum(w for _, w in segments) == pytest.approx(1.0)  # … and ends at 100%
        for (left, width), (next_left, _) in zip(segments, segments[1:]):
            assert next_left == pytest.approx(left + width)  # no gap, no overlap
    assert "基本支出（未分人员/公用）" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_missing_year_is_marked_not_drawn():
    panels = {"基本支出": {"values": [(2017, None), (2018, D2("7877.76")), (2019, D2("9312.90"))], "prior": set()}}
    chart = year_charts.measure_panels(panels, [2017, 2018, 2019], "年度")
    ax = chart.figure.axes[0]
    assert len(ax.patches) == 2 and [t.get_text() for t in ax.texts] == ["缺"]
    assert ax.get_ylim()[0] == 0 and "万元" in ax.get_title()


def test_twenty_departments_get_a_panel_each_and_more_are_summarised():
    series = {f"部门{i:02d}": [(2022, D2(i + 1)), (2023, D2(i + 2))] for i in range(20)}
    chart = year_charts.department_trends(series, "支出合计")
    assert len([ax for ax in chart.figure.axes if ax.axison]) == 20
    series["部门20"] = [(2022, D2(5)), (2023, D2(6))]
    chart = year_charts.department_trends(series, "支出合计")
    (ax,) = chart.figure.axes
    assert "21 个部门" in ax.get_title() and "万元" in ax.get_title() and ax.get_ylim()[0] == 0


def test_a_class_whose_one_printed_part_is_its_total_is_drawn_split():
    """Sample 002's 208 社会保障和就业支出: 合计 9.30, 基本支出 9.30, 项目支出 blank: all basic, not
    “未分基本/项目”. A class whose printed part does not make its total stays undivided."""
    cols = [text_column("科目编码"), text_column("科目名称"), money_column("合计"), money_column("基本支出"),
            money_column("项目支出"), text_column("来源")]
    table = ReportTable("支出功能分类", "支出", cols, [
        ("201", "一般公共服务支出", D2("527.68"), D2("181.20"), D2("346.48"), ""),
        ("208", "社会保障和就业支出", D2("9.30"), D2("9.30"), None, ""),
        ("212", "城乡社区支出", D2("5.00"), D2("2.00"), None, ""),
    ])
    (ax,) = charts.function_class_chart(table).figure.axes
    labels = [h.get_label() for h in ax.containers]
    basic, whole = ax.containers[labels.index("基本支出")], ax.containers[labels.index("未分基本/项目")]
    # Bars are drawn bottom-up: 212, 208, 201.
    assert [round(p.get_width(), 2) for p in basic] == [0.0, 9.3, 181.2]
    assert [round(p.get_width(), 2) for p in whole] == [5.0, 0.0, 0.0]
