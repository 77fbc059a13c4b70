"""The parameters of the report notebooks, checked before any data is read.

In: what a notebook's parameters cell was given (papermill passes any JSON value).
Out: the years as a sorted list of ints (:func:`parse_years`), the data and output
folders as paths (:func:`check_dirs`), or a :class:`~budgetlib.errors.ReportError`
saying in Chinese what to fill in.
"""
from __future__ import annotations

from pathlib import Path

from budgetlib.errors import ReportError


def parse_years(years) -> list[int]:
    """Validate the ``years`` parameter: a list of years, a single year, or a comma-separated string."""
    if years in (None, "", []):
        return []
    if isinstance(years, int) and not isinstance(years, bool):
        years = [years]
    if isinstance(years, str):
        years = [y for y in years.replace("，", ",").split(",") if y.strip()]
    result = []
    for y in years:
        text = str(y).strip()
        if not text.isdigit() or not 1990 <= int(text) <= 2100:
            raise ReportError(f"年度参数无效：{y!r}。请填写四位数年份，例如 2023，或留空表示全部年度。")
        result.append(int(text))
    return sorted(set(result))


def check_dirs(data_dir, output_dir) -> tuple[Path, Path]:
    """``data_dir`` and ``output_dir`` as paths; a :class:`ReportError` for anything but a non-empty path."""
    for name, value in (("data_dir", data_dir), ("output_dir", output_dir)):
        if not isinstance(value, (str, Path)) or not str(value).strip():
            raise ReportError(f"参数 {name} 应为文件夹路径，实为 {value!r}")
    return Path(data_dir), Path(output_dir)
