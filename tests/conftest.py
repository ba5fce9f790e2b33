import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: single-threaded BLAS in the solvers
os.environ.setdefault("OMP_NUM_THREADS", "1")

import shutil  # noqa: E402
from pathlib import Path

import pytest

from pairing_assistance import data

ROOT = Path(__file__).resolve().parent.parent

# Material that is not part of the repository (the review's text, research notes, raw statistics) lives in a
# folder beside the clone, ../shared; PAIRING_SHARED_DIR points elsewhere. A fresh clone has none of it, so
# the tests that read it skip with one line saying what is missing instead of failing.
SHARED_ENV = "PAIRING_SHARED_DIR"


def shared_dir() -> Path:
    return Path(os.environ[SHARED_ENV]) if os.environ.get(SHARED_ENV) else ROOT.parent / "shared"


def shared_path(relative: str) -> Path:
    """Path of a file or folder inside the shared folder (it may not exist)."""
    return shared_dir() / relative


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "needs_shared(path): needs this file or folder of ../shared (or $PAIRING_SHARED_DIR); "
                   "skipped when it is absent")


def pytest_runtest_setup(item):
    for marker in item.iter_markers(name="needs_shared"):
        for relative in marker.args:
            if not shared_path(relative).exists():
                pytest.skip(f"needs {shared_path(relative)} (not in the repository; set {SHARED_ENV} to the "
                            "folder holding reference/ and data-raw/)")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may corrupt; the loader reads it instead."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("PAIRING_DATA_DIR", str(target))
    monkeypatch.setenv("PAIRING_CACHE_DIR", str(tmp_path / "cache"))  # validation stamps of this copy only
    data._load_package.cache_clear()
    yield target
    data._load_package.cache_clear()
