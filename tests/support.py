"""Paths the tests share: the repository and its seed corpus."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def seed(prefix: str) -> Path:
    """A seed document by its number prefix ("001")."""
    return next(CORPUS.glob(f"{prefix}_*"))
