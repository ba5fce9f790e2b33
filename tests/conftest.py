import shutil
from pathlib import Path

import pytest

from pairing_assistance import data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may corrupt; the loader reads it instead."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("PAIRING_DATA_DIR", str(target))
    data._load_package.cache_clear()
    yield target
    data._load_package.cache_clear()
