"""notebook_to_html and write_index, checked in the HTML and in headless Chromium."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from PIL import Image

from budgetlib.errors import ReportError
from budgetlib.reports.html import notebook_to_html, write_index
from clients import chromium

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR_ENV = "BUDGETLIB_KEEP_SCREENSHOTS"
XSS = "<script>alert(1)</script>"

CHART_CODE = """\
from budgetlib.reports.fonts import configure_matplotlib
import matplotlib.pyplot as plt
configure_matplotlib()
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.bar(["三公经费", "人员经费", "公用经费"], [12.5, 830.25, -150.0])
ax.set_title("2024年支出结构（万元）")
plt.show()
"""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.toc_hrefs: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "nav" and "budgetlib-toc" in (attributes.get("class") or ""):
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self.toc_hrefs.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A tiny report notebook, executed for real, exported to HTML."""
    work = tmp_path_factory.mktemp("report")
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# 某某局2024年部门预算分析"),
            new_markdown_cell("## 一、收支总体情况\n\n本部门收入、支出均按万元列示。"),
            new_code_cell(CHART_CODE),
            new_markdown_cell("## 二、“三公”经费 & 机关运行经费"),
            new_code_cell("print('三公经费合计：12.50 万元')"),
        ]
    )
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    ipynb = work / "report.ipynb"
    nbformat.write(notebook, ipynb)
    return notebook_to_html(ipynb, work / "report.html", "某某局 <2024> 部门预算报告")


def test_report_html_hides_code_and_embeds_the_chart(report):
    text = report.read_text(encoding="utf-8")
    assert re.search(r'<html lang="zh-CN">', text)
    assert "<title>某某局 &lt;2024&gt; 部门预算报告</title>" in text
    assert re.search(r'<img[^>]+src="data:image/png;base64,', text)
    body = text.split("<body", 1)[1]  # the <head> holds CSS that names prompts
    for code in ("configure_matplotlib", "plt.subplots", "print("):
        assert code not in body, f"code {code!r} shown in the report"
    assert not re.search(r'class="[^"]*\b(jp-InputPrompt|jp-OutputPrompt|jp-InputArea-editor|highlight)\b', body)
    assert not re.search(r"In&nbsp;\[|Out\[|In \[\d*\]", body)
    assert "三公经费合计：12.50 万元" in text
    assert "Glyph" not in text and "missing from font" not in text
    assert "cdnjs" not in text  # no scripts from the network: one file is the report


def test_report_has_a_table_of_contents_linking_every_heading(report):
    text = report.read_text(encoding="utf-8")
    parser = _Ids()
    parser.feed(text)
    nav = re.search(r'<nav class="budgetlib-toc".*?</nav>', text, re.S).group(0)
    for heading in ("某某局2024年部门预算分析", "一、收支总体情况", "二、“三公”经费 &amp; 机关运行经费"):
        assert heading in nav
    assert len(parser.toc_hrefs) == 3
    for href in parser.toc_hrefs:
        assert href.startswith("#") and href[1:] in parser.ids, href
    assert "¶" not in nav


def test_report_atomic_write_leaves_no_temp_files(report):
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.html", "report.ipynb"]


def test_report_screenshot_in_chromium_is_not_blank(report, tmp_path):
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert fonts.stdout.strip(), "no CJK system font for Chromium: run scripts/install-system-deps.sh"
    png = tmp_path / "report.png"
    result = chromium(f"--screenshot={png}", "--window-size=1200,2000", report.as_uri(), tmp_path=tmp_path)
    assert result.returncode == 0 and png.is_file(), result.stderr[-2000:]
    with Image.open(png) as image:
        assert image.size == (1200, 2000)
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50, "screenshot is nearly one colour"
        dark = sum(count for count, (r, g, b) in colours if r + g + b < 200)
        assert dark > 2000, "almost no dark pixels: no text was drawn"
    if os.environ.get(SCREENSHOT_DIR_ENV):  # to look at the page by eye
        keep = Path(os.environ[SCREENSHOT_DIR_ENV])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, keep / "report.png")


ENTRIES = [
    ("财政局 2024 部门预算", "departments/财政局.html", "departments/财政局.xlsx", "成功"),
    (XSS, "departments/x.html", "javascript:alert(2)", "成功"),
    ("教育局", None, None, 'ParseError: 000.txt:12: 无法识别表头 "<b>合计</b>" & 其他'),
]


def test_index_escapes_every_text(tmp_path):
    index = write_index(tmp_path, ENTRIES)
    assert index == tmp_path / "index.html"
    text = index.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    assert "<script" not in text
    assert html.escape(XSS) in text
    assert "&lt;b&gt;合计&lt;/b&gt;" in text and "&quot;" in text
    assert 'href="./departments/%E8%B4%A2%E6%94%BF%E5%B1%80.html"' in text
    assert 'href="./javascript%3Aalert%282%29"' in text
    assert 'href="javascript' not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_index_rejects_absolute_links(tmp_path):
    with pytest.raises(ReportError, match="relative"):
        write_index(tmp_path, [("某局", "/etc/passwd", None, "成功")])
    with pytest.raises(ReportError, match="relative"):
        write_index(tmp_path, [("某局", "//evil.example/x.html", None, "成功")])
    assert not (tmp_path / "index.html").exists()


def test_index_in_chromium_shows_the_script_as_text(tmp_path):
    index = write_index(tmp_path, ENTRIES)
    result = chromium("--dump-dom", index.as_uri(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<table>" in dom and "预算报告索引" in dom
    assert "<script" not in dom  # no script element was created
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # the name is shown as text
    assert "无法识别表头" in dom
