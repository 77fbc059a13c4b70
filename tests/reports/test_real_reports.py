"""The reports of every shared real document: years side by side, trends, and no noise.

Expected figures come from the documents: ``收支预算总表.csv`` beside the Jiangsu NPC
series holds each year's 收支预算总表 as printed (万元). Some files of the series may not
be recognised yet (the 2017 NPC file); the test checks every year the report shows.
"""
from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from budgetlib.cli import main
from budgetlib.reports import comparison_report as C
from budgetlib.reports import department_report as D
from conftest import real_document

NPC = "江苏省人大常委会办公厅"
CPPCC = "江苏省政协办公厅"
#: Rows of the report's 年度对比 table and the CSV columns that hold the same figure.
CSV_COLUMNS = {"收入合计": "收入合计", "支出合计": "支出合计", "基本支出": "基本支出", "项目支出": "项目支出"}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> tuple[Path, Path]:
    raw = real_document("jiangsu_npc_2017_2019/收支预算总表.csv").parent.parent
    root = tmp_path_factory.mktemp("real")
    data, out = root / "data", root / "reports"
    # Exit status 1: the templates and the README are not disclosures (and fail to parse).
    main(["run", "--raw", str(raw), "--data", str(data), "--out", str(out), "--quiet"])
    assert (out / "comparison.html").is_file()
    return data, out


def _csv_years() -> dict[int, dict[str, Decimal]]:
    path = real_document("jiangsu_npc_2017_2019/收支预算总表.csv")
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    return {int(r[0][:4]): {h: Decimal(v) for h, v in zip(header[1:], r[1:]) if v} for r in rows[1:]}


def test_npc_report_shows_each_year_with_its_budget_table_figures(real_run):
    data, out = real_run
    expected = _csv_years()
    overview = D.years_overview(D.open_department(NPC, None, data, out))
    columns = [c.header for c in overview.columns][1:]
    rows = {r[0]: dict(zip(columns, r[1:])) for r in overview.rows}
    # 2018 and 2019 are recognised today; 2017 is there at least through the 2018 prose.
    assert {"2017年", "2018年", "2019年"} <= set(columns)
    checked = 0
    for year, figures in expected.items():
        for label, column in CSV_COLUMNS.items():
            shown = rows.get(label, {}).get(f"{year}年")
            if shown is None:
                continue  # not stated for that year
            assert shown.quantize(Decimal("0.01")) == figures[column], (label, year)
            checked += 1
    # Every figure of 2017, 2018 and 2019, from each year's tables.
    assert checked == 3 * len(CSV_COLUMNS)
    for year in (2017, 2018, 2019):
        assert all(rows[label][f"{year}年"] is not None for label in CSV_COLUMNS)


def test_prior_year_figures_are_marked_as_such(real_run):
    data, out = real_run
    r = D.open_department(NPC, None, data, out)
    rows = {row[1]: row for row in D.year_detail(r, "基本支出").rows}
    # 2016 has no disclosure: the 2017 prose (page 24) says 基本支出预算数为7666.68万元，与上年相比
    # 增加844.15万元, so 2016 is 6822.53, marked as the figure its successor states.
    assert rows["2016"][2] == Decimal("6822.53")
    assert rows["2016"][3] == "次年文件所述上年数" and "2017年文件所述上年数" in rows["2016"][8]
    assert rows["2017"][3] == "本年公开表" and rows["2018"][3] == "本年公开表"
    # Change and rate from the document's figures: 7877.76 - 7666.68 = 211.08; 211.08 / 7666.68 = 2.75%.
    assert rows["2018"][4] == Decimal("211.08") and rows["2018"][5] == Decimal("0.0275")


def test_a_final_account_is_held_to_the_budget_it_states(real_run):
    data, out = real_run
    rows = {r[0]: r for r in D.years_detail(D.open_department("上海市普陀区财政局", None, data, out)).rows}
    # sh_pt_czj_2024_dept_final.pdf p.23: “三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元.
    label, year, budget, kind, _, _, final, execution, _ = rows["“三公”经费合计"]
    assert (year, budget, kind, final, execution) == ("2024", Decimal("0.95"), "决算所述年初预算", Decimal("0"), Decimal("0"))
    # Its 基本支出 (p.10) has no budget to be held to: the 执行率 stays blank, not 0.
    assert rows["基本支出"][6] == Decimal("2336.91") and rows["基本支出"][7] is None


class _Text(HTMLParser):
    """The text a reader sees: outside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def test_department_and_comparison_html_show_the_years_and_both_trends(real_run):
    data, out = real_run
    (npc,) = (out / "departments").glob(f"{NPC}-*.html")
    text = _text(npc)
    assert "主要指标的年度变化" in text and all(f"{y}年" in text for y in (2017, 2018, 2019))
    trend = C.trend_table(C.open_comparison(None, data, out))
    year_columns = [c.header for c in trend.columns][2:-2]
    years = {row[0]: [y for y, v in zip(year_columns, row[2:-2]) if v is not None] for row in trend.rows if row[1] == "支出合计"}
    # NPC: 2018 and 2019 (its 2017 支出合计 is in an unrecognised file); CPPCC: 2017 to 2019.
    assert {"2018年", "2019年"} <= set(years[NPC]) and {"2017年", "2018年", "2019年"} <= set(years[CPPCC])
    # Each department's own latest year against the year before: NPC 支出合计 18330.37 - 15897.44 (the CSV).
    expected = _csv_years()
    (npc_total,) = [r for r in trend.rows if r[0] == NPC and r[1] == "支出合计"]
    assert npc_total[-2] == expected[2019]["支出合计"] - expected[2018]["支出合计"]
    page = (out / "comparison.html").read_text(encoding="utf-8")
    assert "各部门的年度变化" in page and page.count('src="data:image/png;base64,') >= 5


#: What must never reach a reader: Python's noise and the machine's paths.
NOISE = re.compile(r"Traceback|Warning|warnings\.warn|Error:|/tmp/|/work/|/home/|site-packages|\.venv", re.IGNORECASE)


def test_no_warning_traceback_or_machine_path_reaches_any_report(real_run):
    _, out = real_run
    pages = [*out.glob("*.html"), *(out / "departments").glob("*.html")]
    assert len(pages) >= 6
    for page in pages:
        hit = NOISE.search(_text(page))
        assert hit is None, f"{page.name}: {hit.group(0)!r} near {_text(page)[max(hit.start() - 80, 0): hit.end() + 80]!r}"
    for notebook in [*out.glob("*.ipynb"), *(out / "departments").glob("*.ipynb")]:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        streams = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not streams and not errors, f"{notebook.name}: {streams or errors}"
