"""Stable finding ids: what a finding is about, not where the current parse put it."""
from __future__ import annotations

from budgetlib.checks.finding_ids import finding_id, message_key, with_ids

SHA = "ab" * 32


def test_line_and_page_references_and_file_names_do_not_change_the_id():
    a = finding_id(SHA, "prose.vs_table", "fiscal_summary", 32, 2, "情况说明第21页第14行“总计”0.3与 x.pdf 第32行“总计”2961.68不符")
    b = finding_id(SHA, "prose.vs_table", "fiscal_summary", 32, 2, "情况说明第22页第3行“总计”0.3与 y.pdf 第40行“总计”2961.68不符")
    assert a == b and a.startswith("F-") and len(a) == 14
    assert message_key("第 3 行：合计 10.00") == "：合计10.00"


def test_another_document_cell_check_or_figure_is_another_finding():
    base = ("prose.vs_table", "fiscal_summary", 32, 2, "“总计”0.3与2961.68不符")
    ids = {
        finding_id(SHA, *base),
        finding_id("cd" * 32, *base),
        finding_id(SHA, "identity.row", *base[1:]),
        finding_id(SHA, base[0], base[1], 33, 2, base[4]),
        finding_id(SHA, *base[:4], "“总计”0.4与2961.68不符"),
    }
    assert len(ids) == 5


def test_the_document_is_named_by_its_content_not_its_doc_id():
    record = {"check": "c", "table": "t", "row_no": 1, "col_no": 2, "message": "m"}
    one = with_ids([{**record, "doc_id": "d1"}], {"d1": SHA})
    other = with_ids([{**record, "doc_id": "d2"}], {"d2": SHA})
    assert one[0]["finding_id"] == other[0]["finding_id"]
    twins = with_ids([{**record, "doc_id": "d1"}] * 2, {"d1": SHA})
    assert [t["finding_id"] for t in twins] == [one[0]["finding_id"], one[0]["finding_id"] + "-2"]
