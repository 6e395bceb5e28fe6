"""The import contract in pyproject.toml holds on the code and fails on a back-edge or a cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("ingest", "index", "api", "eval", "benchmarks")
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for package in PACKAGES:
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    # The copy is found first on the path: the contract is checked on its files, not the installed ones.
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_code_keeps_the_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "complaint"),
    [
        ("ingest/backedge.py", "import index.record\n", "ingest is not allowed to import index"),
        ("index/backedge.py", "from api import service\n", "index is not allowed to import api"),
        ("eval/backedge.py", "import api.cli\n", "eval is not allowed to import api"),
        ("index/cycle_a.py", "import index.cycle_b\n", "No import cycles"),
    ],
)
def test_a_back_edge_or_a_cycle_breaks_it(tmp_path: Path, module: str, line: str, complaint: str) -> None:
    root = _copy(tmp_path)
    (root / module).write_text(line, encoding="utf-8")
    if module == "index/cycle_a.py":
        (root / "index/cycle_b.py").write_text("import index.cycle_a\n", encoding="utf-8")
    result = _lint(root)
    assert result.returncode != 0
    assert complaint in result.stdout
