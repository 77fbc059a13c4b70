"""Export executed report notebooks to self-contained HTML, and write the index.

``notebook_to_html`` uses nbconvert's ``HTMLExporter`` with the code and the
prompts excluded, so auditors see only text, tables and charts; images stay
embedded as base64, so one file is the whole report. The lab template's
scripts loaded from a CDN (require.js, MathJax, Mermaid) are left out, and a
table of contents built from the ids nbconvert gives the h1–h3 headings is
inserted at the top of the body.

``write_index`` writes ``index.html`` linking every report. All text in it
(titles, statuses, error messages) is escaped with ``html.escape``, and links
are percent-encoded relative paths, so names taken from documents can never
become markup or script.

Both write under a temporary name in the target folder, then ``os.replace``
(:func:`budgetlib.store.files.atomic_write_text`).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from budgetlib.errors import ReportError
from budgetlib.store.files import atomic_write_text

__all__ = ["notebook_to_html", "write_index", "TOC_LEVELS"]

TOC_LEVELS = ("h1", "h2", "h3")
_TOC_MARKER = "<!-- budgetlib:toc -->"
_TEMPLATE_NAME = "budgetlib_report.html.j2"
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)
_TOC_CSS = """
nav.budgetlib-toc { margin: 16px auto; padding: 8px 16px; max-width: 1100px;
  border: 1px solid #ccc; border-radius: 4px; background: #fafafa; }
nav.budgetlib-toc p { font-weight: bold; margin: 4px 0; }
nav.budgetlib-toc ul { list-style: none; margin: 0; padding: 0; }
nav.budgetlib-toc a { color: #0645ad; text-decoration: underline; }
nav.budgetlib-toc li.toc-h2 { padding-left: 1.5em; }
nav.budgetlib-toc li.toc-h3 { padding-left: 3em; }
@media print { nav.budgetlib-toc { display: none; } }
"""
# Extends the lab template: drop the CDN scripts, add the TOC style and a
# marker after <body><main> where the TOC goes.
_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{% block extra_css %}<style type=\"text/css\">" + _TOC_CSS + "</style>{% endblock extra_css %}\n"
    "{%- block body_header -%}{{ super() }}" + _TOC_MARKER + "{%- endblock body_header -%}\n"
)


class _HeadingCollector(HTMLParser):
    """Collect (tag, id, text) of headings, skipping nbconvert's ¶ anchor links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str, str]] = []
        self._current: tuple[str, str] | None = None
        self._parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._current is None:
            if tag in TOC_LEVELS and attributes.get("id"):
                self._current, self._parts = (tag, attributes["id"]), []
        elif tag == "a" and "anchor-link" in (attributes.get("class") or "").split():
            self._skip_depth += 1

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "a" and self._skip_depth:
            self._skip_depth -= 1
        elif tag == self._current[0]:
            text = " ".join("".join(self._parts).split())
            if text:
                self.headings.append((self._current[0], self._current[1], text))
            self._current, self._skip_depth = None, 0

    def handle_data(self, data):
        if self._current is not None and not self._skip_depth:
            self._parts.append(data)


def _toc_html(document: str) -> str:
    """Return the <nav> block for the document's headings ('' when there are none)."""
    collector = _HeadingCollector()
    collector.feed(document)
    collector.close()
    if not collector.headings:
        return ""
    items = "\n".join(
        f'<li class="toc-{tag}"><a href="#{html.escape(anchor, quote=True)}">'
        f"{html.escape(text)}</a></li>"
        for tag, anchor, text in collector.headings
    )
    return f'<nav class="budgetlib-toc" aria-label="目录">\n<p>目录</p>\n<ul>\n{items}\n</ul>\n</nav>'


@lru_cache(maxsize=1)
def _exporter():
    """One exporter per process: nbconvert compiles its templates when it is built."""
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        # Validate the notebook once, after the last preprocessor, not after each of them.
        optimistic_validation=True,
    )


def notebook_to_html(notebook, html_path: str | os.PathLike, title: str) -> Path:
    """Export an executed notebook (a path, or the notebook papermill returned) to one
    self-contained HTML file; return its path.

    No code and no prompts are shown; images are embedded as base64 data URIs;
    ``<html lang="zh-CN">``; ``title`` becomes the page ``<title>`` (escaped).
    """
    import nbformat

    html_path = Path(html_path)
    if isinstance(notebook, (str, os.PathLike)):
        notebook = nbformat.read(os.fspath(notebook), as_version=4)
    notebook.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    if _TOC_MARKER not in body:
        raise ReportError("nbconvert template did not render the TOC marker; template changed?")
    body = body.replace(_TOC_MARKER, _toc_html(body), 1)
    # nbconvert only accepts ISO 639-1 codes ("zh"), so set the tag here.
    body, count = _HTML_TAG.subn('<html lang="zh-CN">', body, count=1)
    if count != 1:
        raise ReportError("nbconvert output has no <html> tag; template changed?")
    atomic_write_text(html_path, body)
    return html_path


def _href(relative: str | os.PathLike) -> str:
    """Return an escaped, percent-encoded relative link (never a scheme or absolute URL)."""
    posix = PurePosixPath(os.fspath(relative).replace("\\", "/"))
    if posix.is_absolute():
        raise ReportError(f"index links must be relative paths, got {os.fspath(relative)!r}")
    return html.escape("./" + quote(str(posix), safe="/"), quote=True)


def _link_cell(relative: str | os.PathLike | None, label: str) -> str:
    if not relative:
        return "<td>—</td>"
    return f'<td><a href="{_href(relative)}">{html.escape(label)}</a></td>'


def write_index(
    out_dir: str | os.PathLike,
    entries: Iterable[Sequence[object]],
) -> Path:
    """Write ``out_dir/index.html`` linking every report; return its path.

    Each entry is ``(title, html_relpath, xlsx_relpath, status)``; the paths
    are relative to ``out_dir`` and may be ``None`` for a report that failed,
    whose status then carries the error text.
    """
    out_dir = Path(out_dir)
    rows = []
    for entry in entries:
        title, html_rel, xlsx_rel, status = entry
        rows.append(
            "<tr>"
            f"<td>{html.escape(str(title))}</td>"
            f"{_link_cell(html_rel, '网页报告')}"
            f"{_link_cell(xlsx_rel, 'Excel 工作簿')}"
            f'<td class="status">{html.escape("" if status is None else str(status))}</td>'
            "</tr>"
        )
    table_rows = "\n".join(rows) if rows else '<tr><td colspan="4">暂无报告</td></tr>'
    document = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>预算报告索引</title>
<style>
body {{ font-family: {_FONT_STACK}; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 6px 12px; text-align: left; vertical-align: top; }}
th {{ background: #d9e1f2; }}
td.status {{ white-space: pre-wrap; max-width: 40em; }}
</style>
</head>
<body>
<h1>预算报告索引</h1>
<table>
<thead><tr><th>报告</th><th>网页</th><th>Excel</th><th>状态</th></tr></thead>
<tbody>
{table_rows}
</tbody>
</table>
</body>
</html>
"""
    path = out_dir / "index.html"
    atomic_write_text(path, document)
    return path
