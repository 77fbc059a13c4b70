"""Charts of measures over the years: a department's measures, and departments side by side.

Every chart names its unit, starts its amount axis at zero and leaves a missing year
missing (marked 缺, never drawn as a bar of zero or a shifted bar). A measure with no
figure, or only zeros, in every year gets no panel; a sentence under the chart names
it, and a chart with no panel at all is replaced by that sentence
(:class:`~budgetlib.reports.blocks.Note`).
"""
from __future__ import annotations

import math
import statistics
from decimal import Decimal

import matplotlib.ticker

from budgetlib.reports.blocks import Note
from budgetlib.reports.charts import PALETTE, Chart, _short
from budgetlib.reports.fonts import configure_matplotlib

#: Departments drawn one panel each; beyond this the comparison shows a median and a band.
MAX_PANELS = 20
UNIT = "万元"

Points = list[tuple[int, Decimal | None]]


def _blank(points: Points) -> bool:
    return all(v is None or v == 0 for _, v in points)


def _figure(panels: int, ncols: int, panel_height: float = 2.3):
    from matplotlib.figure import Figure

    configure_matplotlib()
    nrows = math.ceil(panels / ncols)
    fig = Figure(figsize=(3.2 * ncols + 0.6, panel_height * nrows + 1.0))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[panels:]:
        ax.set_axis_off()
    return fig, axes


def _amount_axis(ax, values: list[float]) -> None:
    """Amounts from zero, in 万元, with thousands separators."""
    low = min([0.0, *values])
    ax.set_ylim(bottom=low, top=max([*values, 0.0]) * 1.15 or 1.0)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: "0" if v == 0 else (f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.2f}")))
    ax.tick_params(labelsize=8)


def _left_out(names: list[str], what: str) -> str:
    return f"{'、'.join(names)}：{what}。"


def measure_panels(panels: dict[str, dict], years: list[int], title: str) -> Chart | Note:
    """One panel per measure: a bar per year (the budget), hatched where the figure is the prior-year
    figure stated by the next year's document, a diamond for the final account; 缺 where missing.

    ``panels``: label -> {"values": [(year, value)], "prior": {years}, "final": [(year, value)]}.
    """
    drawn = {k: p for k, p in panels.items() if not (_blank(p["values"]) and _blank(p.get("final", [])))}
    empty = [k for k in panels if k not in drawn]
    if not drawn:
        return Note(f"{title}：各年度均未列示或均为零，不绘图。")
    fig, axes = _figure(len(drawn), min(3, len(drawn)))
    for ax, (label, p) in zip(axes, drawn.items()):
        values = dict(p["values"])
        finals = {y: v for y, v in p.get("final", []) if v is not None}
        numbers = [float(v) for v in values.values() if v is not None] + [float(v) for v in finals.values()]
        _amount_axis(ax, numbers)
        for i, year in enumerate(years):
            value = values.get(year)
            if value is None:
                ax.text(i, 0, "缺", ha="center", va="bottom", fontsize=9, color="#777")
                continue
            prior = year in p.get("prior", set())
            ax.bar(i, float(value), width=0.6, color="#9DB3D9" if prior else PALETTE[0], hatch="//" if prior else None, edgecolor="white")
        for i, year in enumerate(years):
            if year in finals:
                ax.plot(i, float(finals[year]), marker="D", color=PALETTE[1], markersize=5, linestyle="none")
        ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=8)
        ax.set_xlim(-0.6, len(years) - 0.4)
        ax.set_title(f"{_short(label, 12)}（{UNIT}）", fontsize=10)
    legend = "实心柱：当年预算数；斜线柱：次年文件所述上年数；菱形：决算数；“缺”：未列示。"
    footer = legend + (" " + _left_out(empty, "各年度均未列示或为零，未绘图") if empty else "")
    fig.suptitle(title, fontsize=12)
    fig.text(0.01, 0.005, footer, fontsize=8, color="#444", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return Chart(fig)


def department_trends(series: dict[str, Points], title: str) -> Chart | Note:
    """Each department's trend of one measure: a small panel per department up to
    :data:`MAX_PANELS` (each with its own scale from zero), else the median and the
    25%–75% band of all departments by year."""
    drawn = {k: v for k, v in series.items() if not _blank(v)}
    if not drawn:
        return Note(f"{title}：各部门各年度均未列示或均为零，不绘图。")
    years = sorted({y for pts in drawn.values() for y, _ in pts})
    if len(drawn) > MAX_PANELS:
        return _band(drawn, years, title)
    fig, axes = _figure(len(drawn), min(4, len(drawn)), panel_height=2.0)
    for ax, (name, points) in zip(axes, sorted(drawn.items())):
        known = [(y, float(v)) for y, v in points if v is not None]
        _amount_axis(ax, [v for _, v in known])
        # A gap in the years breaks the line: each run of consecutive years is drawn on its own.
        run: list[tuple[int, float]] = []
        for y, v in known + [(None, None)]:
            if run and (y is None or y != run[-1][0] + 1):
                ax.plot([p[0] for p in run], [p[1] for p in run], marker="o", color=PALETTE[0], markersize=4)
                run = []
            if y is not None:
                run.append((y, v))
        own = sorted({y for y, _ in points})  # the department's own years: no gap marked where it never published
        for y in own:
            if y not in dict(known):
                ax.text(y, 0, "缺", ha="center", va="bottom", fontsize=9, color="#777")
        ax.set_xticks(own, [str(y) for y in own], fontsize=8)
        ax.set_xlim(own[0] - 0.5, own[-1] + 0.5)
        ax.set_title(_short(name, 14), fontsize=9)
    left_out = [k for k in series if k not in drawn]
    footer = f"单位：{UNIT}；各小图纵轴自零起、刻度各自不同；“缺”：该年度未列示。"
    if left_out:
        footer += " " + _left_out(left_out[:10] + (["等"] if len(left_out) > 10 else []), "各年度均未列示或为零，未绘图")
    fig.suptitle(f"{title}（{UNIT}）", fontsize=12)
    fig.text(0.01, 0.005, footer, fontsize=8, color="#444", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return Chart(fig)


def _band(series: dict[str, Points], years: list[int], title: str) -> Chart:
    from matplotlib.figure import Figure

    configure_matplotlib()
    fig = Figure(figsize=(8, 3.8))
    ax = fig.subplots()
    shown, med, low, high, counts = [], [], [], [], []
    for y in years:
        vals = sorted(float(v) for pts in series.values() for yy, v in pts if yy == y and v is not None)
        if not vals:
            continue
        q = statistics.quantiles(vals, n=4) if len(vals) > 1 else [vals[0]] * 3
        shown.append(y)
        med.append(statistics.median(vals))
        low.append(q[0])
        high.append(q[2])
        counts.append(len(vals))
    ax.fill_between(shown, low, high, color=PALETTE[0], alpha=0.2, label="25%–75% 的部门")
    ax.plot(shown, med, marker="o", color=PALETTE[0], label="中位数")
    for y, m, n in zip(shown, med, counts):
        ax.annotate(f"{n} 个", (y, m), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7, color="#444")
    _amount_axis(ax, high)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylabel(UNIT)
    ax.set_xlabel("年度")
    ax.set_title(f"{title}（{len(series)} 个部门，单位：{UNIT}）")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return Chart(fig)
