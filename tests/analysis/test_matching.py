"""Prose project amounts go to the right project (seed 003, line 1446 and its 绩效目标表)."""
from __future__ import annotations

from decimal import Decimal


from budgetlib.analysis.projects import projects
from budgetlib.analysis.departments import find_department
from budgetlib.analysis.matching import match_names


def test_loose_prose_names_match_table_names():
    # Table titles of seed 003's four projects, and the names its prose uses.
    names = ["困难职工帮扶资金", "劳动模范荣誉津贴", "市级以上劳模体检", "提前下达2023年困难职工及劳模帮扶救助省专项资金"]
    prose = ["劳动模范荣誉津贴", "市级以上劳动模范进行健康体检", "困难职工帮扶资金", "提前下达2023年困难职工及劳模帮扶救助省专项资金"]
    assert match_names(names, prose) == {0: 2, 1: 0, 2: 1, 3: 3}


def test_unrelated_names_do_not_match():
    assert match_names(["党的二十大宣传经费"], ["劳动模范荣誉津贴"]) == {}


def test_department_report_shows_prose_amounts(data):
    dept = find_department(data, "山海关区总工会")
    table = projects(data, dept)
    # "劳动模范荣誉津贴安排1.44万元，市级以上劳动模范进行健康体检安排4.02万元，困难职工帮扶资金安排4.5万元，
    #  提前下达2023年困难职工及劳模帮扶救助省专项资金6.8万元"
    assert [r[3] for r in table.rows] == [Decimal("4.5"), Decimal("1.44"), Decimal("4.02"), Decimal("6.8")]
    assert all("第1446行" in r[4] for r in table.rows)
