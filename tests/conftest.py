"""Shared fixtures: the sample documents and their parsed tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budgetlib.batch.pipeline import parse_to

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
EXPECTED = Path(__file__).resolve().parent / "expected"

SEEDS = {
    "000": "000_69246d7c280277d8.txt",
    "001": "001_bdb2827d250d3223.txt",
    "002": "002_5342aacfb1655b46.txt",
    "003": "003_1d8067712fc9afbe.txt",
    "004": "004_9aefae580f5a42cb.txt",
}


#: Real published documents beside the project (``../shared/real/``, see its README). They are
#: third-party documents, so the repository commits none of them; tests read them from there.
SHARED_REAL = ROOT.parent / "shared" / "real"


def real_document(name: str) -> Path:
    """A real published document under ``../shared/real/``; the test is skipped where that folder is absent."""
    path = SHARED_REAL / name
    if not path.is_file():
        pytest.skip(f"{SHARED_REAL} is absent: real published documents are third-party and not in the repository")
    return path


def seed_path(seed: str) -> Path:
    return RAW / SEEDS[seed]


def seed_paths() -> list[Path]:
    """The five samples: everything in data/raw/."""
    return [RAW / name for name in SEEDS.values()]


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> Path:
    """The five samples parsed once into a temporary processed folder."""
    out = tmp_path_factory.mktemp("processed")
    summary = parse_to(seed_paths(), out)
    assert not summary.failures, summary.describe()
    return out


@pytest.fixture(scope="session")
def data(processed):
    import budgetlib

    return budgetlib.load(processed)


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A writable copy of the samples in data/raw/ for tests that alter documents."""
    dest = tmp_path / "raw"
    dest.mkdir()
    for path in seed_paths():
        shutil.copy2(path, dest / path.name)
    return dest
