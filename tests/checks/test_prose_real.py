"""A prose figure is compared only when its sentence says which figure it is.

省人大办公厅2018预算公开.pdf, page 19: “（一）收入预算总计15897.44万元 … （2）政府性基金收入
预算0万元 … 3．其他资金收入预算总计0万元”, and page 21: “填列数与《收支预算总表》收入数一致”.
The two zeros are the 政府性基金 and 其他资金 parts, not the total income, and “一致” there
says two tables agree, not that the total is unchanged from last year. Read as the total,
they made a false ``error`` on the table's 收入合计 15897.44.
"""
from __future__ import annotations

from decimal import Decimal as D

import budgetlib
from budgetlib.batch.pipeline import parse_to
from budgetlib.checks import run_checks
from conftest import real_document

NPC_2018 = "jiangsu_npc_2017_2019/省人大办公厅2018预算公开.pdf"


def test_a_source_named_before_its_income_is_not_the_total(tmp_path):
    parse_to([real_document(NPC_2018)], tmp_path)
    data = budgetlib.load(tmp_path, cache=False)
    facts = data.narrative_facts
    totals = facts.filter(facts["fact"] == "total_income")["value"].to_list()
    assert set(totals) == {D("15897.44")}
    assert facts.filter(facts["fact"].is_in(["total_change", "fiscal_income_change"])).is_empty()
    errors = [f for f in run_checks(data) if f.severity == "error" and f.check.startswith("prose.")]
    assert errors == []
