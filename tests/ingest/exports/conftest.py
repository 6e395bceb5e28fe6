"""The export samples: the real SBSYS and Fujitsu eDoc exports beside the repository, and our fixtures."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest.exports.tree import FolderTree

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The real exports from the OS2dagsorden project (see ../shared/samples/esdh/README.md).
SAMPLES = REPO.parent / "shared" / "samples" / "esdh"


def _sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"the real export sample {path} is not here")
    return path


@pytest.fixture(scope="session")
def sbsys_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sbsys")
    with zipfile.ZipFile(_sample("sbsys_Publication32.zip")) as archive:
        archive.extractall(root)
    return root


@pytest.fixture(scope="session")
def sbsys_tree(sbsys_root: Path) -> FolderTree:
    return FolderTree(sbsys_root)


@pytest.fixture(scope="session")
def fujitsu_tree() -> FolderTree:
    return FolderTree(_sample("edoc_fujitsu"))


@pytest.fixture(scope="session")
def edoc_tree() -> FolderTree:
    return FolderTree(FIXTURES / "edoc")


@pytest.fixture(scope="session")
def acadre_tree() -> FolderTree:
    return FolderTree(FIXTURES / "acadre")
