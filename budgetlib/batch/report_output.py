"""The reports folder as generations: a report run is published whole, in one step, or not at all.

A run of ``budgetlib report`` holds the reports folder's lock
(:mod:`budgetlib.store.lock`) and writes every report, and ``index.html``, into a new
generation (:mod:`budgetlib.store.generations`); ``REPORTS/index.html``,
``REPORTS/comparison.*`` and ``REPORTS/departments`` are links through
``REPORTS/.current``, switched to the new generation in one atomic step at the end.
So a second run waits (or says which process holds the folder), a run killed at any
point leaves the previous reports and their index as they were, and a reader never
sees an index that links files of another run.

What the run did not write comes over from the previous generation (hard links):
the reports of departments not asked for this time, and the last good HTML,
workbook and notebook of a report that failed this time (beside its
``.failed.ipynb``). Temporary files of an interrupted run go with its unfinished
generation, removed by the next run.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from budgetlib.reports.naming import DEPARTMENT_DIR
from budgetlib.store import generations
from budgetlib.store.files import discard
from budgetlib.store.lock import folder_lock


def owned(name: str) -> bool:
    """The names in a reports folder that a report run owns (everything else there is left alone)."""
    return name in ("index.html", DEPARTMENT_DIR) or name.startswith("comparison.")


@contextmanager
def report_generation(out_dir: Path) -> Iterator[Path]:
    """A new generation of ``out_dir`` to write the reports into, published when the block ends normally."""
    out_dir = Path(out_dir)
    with folder_lock(out_dir):
        generations.clean(out_dir)
        generation = generations.new_generation(out_dir)
        (generation / DEPARTMENT_DIR).mkdir()
        try:
            yield generation
        except BaseException:
            discard(generation)
            raise
        generations.publish(out_dir, generation, owned, step="report")


def carry_previous(out_dir: Path, generation: Path, fresh_stems: set[str], failed_stems: set[str]) -> None:
    """Link into ``generation`` each file of the current one it lacks.

    ``fresh_stems``: reports written well this time, whose old ``.failed.ipynb`` is not carried.
    ``failed_stems``: reports that failed this time: what they wrote before failing (an HTML
    page, a workbook) is dropped, so the last good set of that report comes over whole,
    beside this run's ``.failed.ipynb``. Temporary files of jobs that died are dropped.
    ``index.html`` is never carried: the run writes its own.
    """
    for path in list(generation.rglob(".*")):
        if path.is_file() and path.name.endswith((".tmp", ".running.ipynb")):
            path.unlink()
    for stem in failed_stems:
        for ext in (".html", ".xlsx", ".ipynb"):
            (generation / f"{stem}{ext}").unlink(missing_ok=True)
    previous = generations.current(out_dir)
    if previous == Path(out_dir) or not previous.is_dir():
        return
    for path in previous.rglob("*"):
        rel = path.relative_to(previous)
        if not path.is_file() or rel.parts[0].startswith(".") or not owned(rel.parts[0]) or rel.as_posix() == "index.html":
            continue
        if rel.name.endswith(".failed.ipynb") and rel.as_posix().removesuffix(".failed.ipynb") in fresh_stems:
            continue
        target = generation / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            generations.link_or_copy(path, target)
