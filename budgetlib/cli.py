"""The ``budgetlib`` command: a thin layer over the library functions.

Verbs register themselves in :data:`COMMANDS`; each gets its own argparse
sub-parser and returns the process exit status.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from budgetlib import __version__, config
from budgetlib.errors import BudgetlibError

#: verb -> (help text, add_arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help: str, add_arguments: Callable[[argparse.ArgumentParser], None]):
    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help, add_arguments, run)
        return run

    return register


def _limit_options(p: argparse.ArgumentParser) -> None:
    """What one document may take while it is parsed (shared by the verbs that parse)."""
    from budgetlib.batch.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, format_bytes, parse_size

    def seconds(text: str) -> float:
        value = float(text)
        if value <= 0:
            raise ValueError(text)
        return value

    p.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"wall-clock limit per document; a document past it is a parse error (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-memory", type=parse_size, default=DEFAULT_MAX_MEMORY, metavar="SIZE",
                   help=f"memory limit per document, e.g. 2G or 800M (default: {format_bytes(DEFAULT_MAX_MEMORY)})")


def _limits(args: argparse.Namespace):
    from budgetlib.batch.limits import Limits

    return Limits(timeout=args.timeout, max_memory=args.max_memory)


def _parse_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, help="documents or folders (default: data/raw/)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: data/processed/)")
    p.add_argument("--workers", type=int, default=None, help="parallel parsing processes (default: the cores)")
    _limit_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command("parse", "read documents and write the processed tables", _parse_args)
def _parse(args: argparse.Namespace) -> int:
    from budgetlib.batch.pipeline import parse_to

    paths = args.paths or [config.raw_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"错误：找不到 {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    summary = parse_to(paths, args.out or config.processed_dir(), progress=not args.quiet, workers=args.workers, limits=_limits(args))
    print(summary.describe())
    return 1 if summary.failures else 0


def _output_options(p: argparse.ArgumentParser) -> None:
    """Options shared by the verbs that write reports."""
    p.add_argument("--data", type=Path, default=None, help="processed tables (default: data/processed/)")
    p.add_argument("--out", type=Path, default=None, help="report folder (default: reports/)")
    p.add_argument("--workers", type=int, default=None, help="parallel processes for parsing and reports (default: the cores)")
    p.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="run the reports on this Dask distributed scheduler, e.g. tcp://10.0.0.5:8786 (default: local processes)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--department", default=None, help="department name or id (default: every department)")
    p.add_argument("--year", type=int, action="append", default=None, help="fiscal year (repeatable; default: all)")
    p.add_argument("--raw", type=Path, default=None, help="source documents, read only, to show errors on their PDF pages (default: data/raw/)")
    _output_options(p)


@command("report", "run the report notebooks: HTML and Excel per department, and the comparison", _report_args)
def _report(args: argparse.Namespace) -> int:
    from budgetlib.batch.runner import run_reports

    summary = run_reports(
        args.data or config.processed_dir(),
        args.out or config.reports_dir(),
        department=args.department,
        years=args.year,
        workers=args.workers,
        progress=not args.quiet,
        scheduler=args.scheduler,
        raw_dir=args.raw or config.raw_dir(),
    )
    print(summary.describe())
    return 1 if summary.failures else 0


def _annotate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=None, help="processed tables (default: data/processed/)")
    p.add_argument("--raw", type=Path, default=None, help="source documents, only read (default: data/raw/)")
    p.add_argument("--out", type=Path, default=None, help="report folder; copies go to its annotated/ (default: reports/)")
    p.add_argument(
        "--severity", action="append", choices=["error", "warning", "rounding", "info"], default=None,
        help="annotate findings of this severity only (repeatable; default: all)",
    )


@command("annotate", "write a copy of each PDF with every finding highlighted and commented, to send to the department", _annotate_args)
def _annotate(args: argparse.Namespace) -> int:
    from budgetlib.reports.annotate import annotate_all

    summary = annotate_all(
        args.data or config.processed_dir(),
        args.raw or config.raw_dir(),
        args.out or config.reports_dir(),
        tuple(args.severity) if args.severity else None,
    )
    print(summary.describe())
    return 0


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=Path, default=None, help="source documents (default: data/raw/)")
    _threshold_option(p)
    _output_options(p)
    _limit_options(p)


@command("run", "the main job: parse data/raw/, check, and write every report", _run_args)
def _run(args: argparse.Namespace) -> int:
    from budgetlib.batch.pipeline import run_all

    _apply_threshold(args)
    run = run_all(
        args.raw or config.raw_dir(),
        args.data or config.processed_dir(),
        args.out or config.reports_dir(),
        workers=args.workers,
        progress=not args.quiet,
        scheduler=args.scheduler,
        on_step=print,
        limits=_limits(args),
    )
    return run.exit_status


def _share(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal(-1)
    if not 0 <= value:
        raise argparse.ArgumentTypeError(f"应为不小于 0 的小数（如 0.1 表示 10%），而不是 {text!r}")
    return value


def _threshold_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--execution-threshold", type=_share, default=None, metavar="SHARE",
        help="list final-accounts figures further than this share from their 年初预算 (default 0.10: 10%%)",
    )


def _apply_threshold(args: argparse.Namespace) -> None:
    """The threshold travels in the environment, so the checks in child processes see it too."""
    if args.execution_threshold is not None:
        os.environ[config.EXECUTION_THRESHOLD] = str(args.execution_threshold)


def _check_args(p: argparse.ArgumentParser) -> None:
    _threshold_option(p)
    p.add_argument("--data", type=Path, default=None, help="processed tables (default: data/processed/)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table", help="output format (default: table)")
    p.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default=None,
        help="exit 1 when there is a finding of this severity or a more serious one",
    )


@command("check", "run the audit checks on the processed tables and write findings", _check_args)
def _check(args: argparse.Namespace) -> int:
    from budgetlib.checks.printing import describe, to_csv, to_json
    from budgetlib.batch.pipeline import check_to

    _apply_threshold(args)
    run = check_to(args.data or config.processed_dir())
    output = {"table": describe, "json": to_json, "csv": to_csv}[args.format](run)
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 1 if args.fail_on and run.has(args.fail_on) else 0


def _review_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["import", "list"], help="import: read an auditor's marks; list: show every mark kept")
    p.add_argument("file", nargs="?", type=Path, help="for import: a workbook (its 审核发现 sheet) or a CSV with 发现编号 and 审核状态")
    p.add_argument("--data", type=Path, default=None, help="processed tables (default: data/processed/); marks are kept in its reviews/ folder")
    p.add_argument("--stale", action="store_true", help="for list: only the marks whose finding no longer occurs")


@command("review", "the review trail: import an auditor's marks on findings, or list them", _review_args)
def _review(args: argparse.Namespace) -> int:
    from budgetlib.store.review_list import describe_reviews
    from budgetlib.store.reviews import import_reviews

    data_dir = args.data or config.processed_dir()
    if args.action == "import":
        if args.file is None:
            print("错误：请指定要导入的工作簿或 CSV 文件", file=sys.stderr)
            return 2
        n = import_reviews(args.file, data_dir)
        print(f"已导入 {n} 条审核标记（{args.file.name}）；保存在 {data_dir / 'reviews'}")
        return 0
    print(describe_reviews(data_dir, stale_only=args.stale))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetlib",
        description="Parse, check and report Chinese department budget disclosures (部门预算公开).",
    )
    parser.add_argument("--version", action="version", version=f"budgetlib {__version__}")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BudgetlibError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断；已有的输出保持不变。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: say so in one line, never a traceback
        print(f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
