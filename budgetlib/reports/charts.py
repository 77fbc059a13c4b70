"""Charts of the reports. Chinese labels render through the project's CJK font.

Amounts are converted to float only here, for drawing; nothing drawn is summed
or compared. Comparison charts stay readable from 5 to thousands of
departments: ranked bars show the top N, distributions and bands summarise
the rest.
"""
from __future__ import annotations

from decimal import Decimal

import io
from dataclasses import dataclass

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from budgetlib.reports.fonts import configure_matplotlib
from budgetlib.analysis.report_table import ReportTable

TOP_N = 20
PALETTE = ["#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F9E89"]


@dataclass
class Chart:
    """A figure that notebooks show as PNG. Figures are not pyplot-managed, so a
    long-running kernel keeps no reference to them."""

    figure: Figure

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def _figure(width: float, height: float):
    configure_matplotlib()
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _num(value) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)


def _empty(ax, text: str = "无数据") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, color="#666")
    ax.set_axis_off()


def _short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def function_class_chart(table: ReportTable) -> Chart:
    """Stacked horizontal bars: basic and project expenditure per function class."""
    rows = [r for r in table.rows if r[2] is not None]
    fig, ax = _figure(8, 0.5 * max(len(rows), 3) + 1.2)
    if not rows:
        _empty(ax)
        return Chart(fig)
    names = [_short(f"{r[0]} {r[1]}", 18) for r in rows][::-1]
    basic = [_num(r[3]) for r in rows][::-1]
    project = [_num(r[4]) for r in rows][::-1]
    ax.barh(names, basic, color=PALETTE[0], label="基本支出")
    ax.barh(names, project, left=basic, color=PALETTE[1], label="项目支出")
    ax.set_xlabel("万元")
    ax.set_title("支出按功能分类（类级）")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return Chart(fig)


def structure_chart(table: ReportTable) -> Chart:
    """One 100% bar: personnel, public-use and project shares of expenditure."""
    parts = {r[0]: r[2] for r in table.rows}
    labels = ["人员经费", "公用经费", "项目支出"]
    fig, ax = _figure(8, 2.2)
    values = [_num(parts.get(k)) for k in labels]
    if not any(values):
        _empty(ax)
        return Chart(fig)
    left = 0.0
    for label, value, color in zip(labels, values, PALETTE):
        ax.barh([""], [value], left=left, color=color, label=f"{label} {value:.1%}")
        left += value
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_title("支出结构（占支出合计）")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, frameon=False)
    fig.tight_layout()
    return Chart(fig)


def three_public_chart(table: ReportTable) -> Chart:
    """Bars of the 三公 categories, this year against last year where the prose gives it."""
    total = table.rows[0][1] if table.rows else None
    rows = [r for r in table.rows if r[0] in ("因公出国（境）费", "公务用车购置及运维费", "公务接待费")]
    fig, ax = _figure(8, 3.2)
    if not rows or total is None:
        _empty(ax, "未列示“三公”经费")
        return Chart(fig)
    # A blank category under a printed total draws as 0; the table above shows it blank.
    x = range(len(rows))
    ax.bar([i - 0.2 for i in x], [_num(r[1]) for r in rows], width=0.4, color=PALETTE[0], label="本年预算")
    if any(r[2] is not None for r in rows):
        ax.bar([i + 0.2 for i in x], [_num(r[2]) for r in rows], width=0.4, color=PALETTE[3], label="上年")
    ax.set_xticks(list(x), [r[0] for r in rows])
    ax.set_ylabel("万元")
    ax.set_title("“三公”经费分类")
    ax.legend()
    fig.tight_layout()
    return Chart(fig)


def trend_chart(series: dict[str, list[tuple[int, Decimal | None]]], title: str) -> Chart:
    """Lines by year. Up to 10 series are drawn one by one; more become a median with a 25–75% band."""
    fig, ax = _figure(8, 3.6)
    series = {k: [(y, v) for y, v in pts if v is not None] for k, pts in series.items()}
    series = {k: v for k, v in series.items() if v}
    if not series:
        _empty(ax)
        return Chart(fig)
    if len(series) <= 10:
        for (name, points), color in zip(sorted(series.items()), matplotlib.colormaps["tab10"].colors):
            years = [p[0] for p in points]
            ax.plot(years, [_num(p[1]) for p in points], marker="o", color=color, label=_short(name, 16))
        ax.legend(fontsize=8, loc="best")
    else:
        import statistics

        years = sorted({y for pts in series.values() for y, _ in pts})
        med, low, high = [], [], []
        for y in years:
            vals = sorted(_num(v) for pts in series.values() for yy, v in pts if yy == y)
            q = statistics.quantiles(vals, n=4) if len(vals) > 1 else [vals[0]] * 3
            med.append(statistics.median(vals))
            low.append(q[0])
            high.append(q[2])
        ax.fill_between(years, low, high, color=PALETTE[0], alpha=0.2, label="25%–75% 部门")
        ax.plot(years, med, marker="o", color=PALETTE[0], label=f"中位数（{len(series)} 个部门）")
        ax.legend(fontsize=8)
    ax.set_xlabel("年度")
    ax.set_ylabel("万元")
    years = sorted({y for pts in series.values() for y, _ in pts})
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)  # one year alone would otherwise span a century
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(title)
    fig.tight_layout()
    return Chart(fig)


def ranked_bar_chart(labels: list[str], values: list[Decimal | None], title: str, top_n: int = TOP_N) -> Chart:
    """The top N departments by a figure, largest first; the rest are counted in the title."""
    pairs = sorted(((l, _num(v)) for l, v in zip(labels, values) if v is not None), key=lambda p: -p[1])
    shown = pairs[:top_n]
    fig, ax = _figure(8, 0.4 * max(len(shown), 3) + 1.2)
    if not shown:
        _empty(ax)
        return Chart(fig)
    ax.barh([_short(l, 18) for l, _ in shown][::-1], [v for _, v in shown][::-1], color=PALETTE[0])
    ax.set_xlabel("万元")
    suffix = f"（前 {len(shown)} 名，共 {len(pairs)} 个）" if len(pairs) > len(shown) else ""
    ax.set_title(title + suffix)
    fig.tight_layout()
    return Chart(fig)


def distribution_chart(values: dict[str, list[Decimal | None]], title: str) -> Chart:
    """Histograms of shares across departments (readable at any number of departments)."""
    fig, ax = _figure(8, 3.4)
    data = {k: [_num(v) for v in vs if v is not None] for k, vs in values.items()}
    if not any(data.values()):
        _empty(ax)
        return Chart(fig)
    bins = [i / 20 for i in range(21)]
    for (label, vals), color in zip(data.items(), PALETTE):
        if vals:
            ax.hist(vals, bins=bins, alpha=0.55, color=color, label=f"{label}（{len(vals)} 个）")
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylabel("部门数")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return Chart(fig)


def stacked_share_chart(labels: list[str], parts: dict[str, list[Decimal | None]], title: str, top_n: int = TOP_N) -> Chart:
    """100% stacked bars of the shares, for the first ``top_n`` departments given."""
    labels = labels[:top_n]
    fig, ax = _figure(8, 0.4 * max(len(labels), 3) + 1.6)
    if not labels:
        _empty(ax)
        return Chart(fig)
    left = [0.0] * len(labels)
    names = [_short(l, 18) for l in labels]
    for (part, vals), color in zip(parts.items(), PALETTE):
        widths = [_num(v) for v in vals[:top_n]]
        ax.barh(names, widths, left=left, color=color, label=part)
        left = [a + b for a, b in zip(left, widths)]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(parts), frameon=False)
    fig.tight_layout()
    return Chart(fig)
