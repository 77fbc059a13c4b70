"""The ``budgetlib`` command: a thin layer over the library functions.

Verbs register themselves in :data:`COMMANDS`; each gets its own argparse
sub-parser and returns the process exit status.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__, config
from .errors import BudgetlibError

#: verb -> (help text, add_arguments, run)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help: str, add_arguments: Callable[[argparse.ArgumentParser], None]):
    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help, add_arguments, run)
        return run

    return register


def _parse_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, help="documents or folders (default: data/raw/)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: data/processed/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command("parse", "read documents and write the processed tables", _parse_args)
def _parse(args: argparse.Namespace) -> int:
    from .pipeline import parse_to

    paths = args.paths or [config.raw_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"错误：找不到 {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    summary = parse_to(paths, args.out or config.processed_dir(), progress=not args.quiet)
    print(summary.describe())
    return 1 if summary.failures else 0


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
