"""The display objects of the report notebooks besides tables and charts.

In: text (a title, a paragraph) or the path of a written file. Out: an object the
notebook displays through ``_repr_html_``, every text escaped (it may come from the
documents): :class:`Heading`, :class:`Note` and :class:`Written`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Heading:
    """A title shown at the top of a report (document text, so escaped)."""

    text: str
    subtitle: str = ""

    def _repr_html_(self) -> str:
        sub = f"<p>{html.escape(self.subtitle)}</p>" if self.subtitle else ""
        return f"<h1>{html.escape(self.text)}</h1>{sub}"


@dataclass
class Note:
    """A paragraph of report text (escaped)."""

    text: str

    def _repr_html_(self) -> str:
        return f'<p class="note">{html.escape(self.text)}</p>'


@dataclass
class Written:
    """A line saying which file was written (the workbook beside the report)."""

    path: Path

    def _repr_html_(self) -> str:
        return f"<p>已生成 Excel 工作簿：{html.escape(self.path.name)}</p>"
