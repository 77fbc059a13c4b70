"""A small table type shared by notebooks (HTML display) and workbooks (Excel sheets).

Each analysis function returns a :class:`ReportTable`: the notebook shows it,
the Excel writer turns it into a sheet, so both show the same rows under the
same Chinese headers.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

from budgetlib.errors import ReportError

#: What a report column holds.
KINDS = ("text", "money", "int", "percent")


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report table (and of its worksheet): its Chinese header and the kind of values it holds.

    ``kind`` is ``text``, ``money`` (万元, 2 decimals), ``int`` or ``percent``
    (a ratio: 0.125 shows as 12.50%). ``in_total`` says whether a money or
    int column is summed in the sheet's total row.
    """

    header: str
    kind: str = "text"
    in_total: bool = True
    #: The values a reader may type in this column (the workbook offers them as a list).
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ReportError(f"unknown column kind {self.kind!r}; expected one of {KINDS}")


def text_column(header: str) -> ReportColumn:
    return ReportColumn(header, "text")


def money_column(header: str) -> ReportColumn:
    return ReportColumn(header, "money")


@dataclass
class ReportTable:
    key: str
    title: str
    columns: list[ReportColumn]
    rows: list[tuple] = field(default_factory=list)
    unit: str = "万元"
    total_row: str | None = None
    note: str | None = None

    @classmethod
    def of_records(cls, key: str, title: str, columns: list[ReportColumn], records: list[dict], **options) -> "ReportTable":
        """A table whose rows are given as dicts keyed by the column headers (``options``: unit, total_row, note)."""
        return cls(key, title, columns, [tuple(r[c.header] for c in columns) for r in records], **options)

    def column(self, header: str) -> list:
        pos = [c.header for c in self.columns].index(header)
        return [r[pos] for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c.header)}</th>" for c in self.columns)
        body = []
        for row in self.rows:
            cells = "".join(
                f'<td class="{c.kind}">{html.escape(format_value(v, c.kind))}</td>' for c, v in zip(self.columns, row)
            )
            body.append(f"<tr>{cells}</tr>")
        if self.total_row is not None and self.rows:
            cells = []
            for pos, c in enumerate(self.columns):
                if pos == 0:
                    cells.append(f"<td>{html.escape(self.total_row)}</td>")
                elif c.kind == "money" and c.in_total:
                    total = sum((r[pos] for r in self.rows if r[pos] is not None), Decimal(0))
                    cells.append(f'<td class="money">{format_value(total, "money")}</td>')
                else:
                    cells.append("<td></td>")
            body.append(f'<tr class="total">{"".join(cells)}</tr>')
        if not body:
            body.append(f'<tr><td colspan="{len(self.columns)}">（无）</td></tr>')
        unit = f'<p class="unit">单位：{html.escape(self.unit)}</p>' if self.unit else ""
        note = f'<p class="note">{html.escape(self.note)}</p>' if self.note else ""
        return (
            f"{unit}<div style=\"overflow-x:auto\"><style>{_CSS}</style>"
            f"<table class=\"budget\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>{note}"
        )


# Numbers never wrap; short text keeps a readable width however many columns there are.
_CSS = (
    "table.budget td.money,table.budget td.percent,table.budget td.int{white-space:nowrap;text-align:right}"
    "table.budget td.text{min-width:6em;text-align:left}"
    "table.budget th{min-width:4em}"
)


def format_value(value, kind: str) -> str:
    """A value as the reports show it (HTML cells; Excel column widths): money ``1,234.50``, int ``1,234``, percent ``12.50%``."""
    if value is None:
        return ""
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "percent":
        return f"{Decimal(value) * 100:.2f}%"
    if kind == "int":
        return f"{int(value):,}"
    return str(value)
