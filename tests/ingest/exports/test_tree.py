"""The export tree and how a manifest's file names are found in it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.exports.tree import FolderTree, MemoryTree, PathIndex, resolve

TREE = MemoryTree(
    {
        "Publication32/Publication32.xml": b"<Publication/>",
        "Publication32/Enclosures/1.pdf": b"%PDF-",
        "møde/Attachments/6104646-6648380-1.PDF": b"%PDF-",
        "møde/Bilag Økonomi.pdf": b"%PDF-",
    }
)


@pytest.mark.parametrize(
    ("name", "base", "expected"),
    [
        ("Enclosures\\1.pdf", "Publication32", "Publication32/Enclosures/1.pdf"),
        ("\\Attachments\\6104646-6648380-1.pdf", "møde", "møde/Attachments/6104646-6648380-1.PDF"),
        ("ATTACHMENTS/6104646-6648380-1.pdf", "møde", "møde/Attachments/6104646-6648380-1.PDF"),
        ("bilag økonomi.PDF", "møde", "møde/Bilag Økonomi.pdf"),
        ("Publication32/Enclosures/1.pdf", "elsewhere", "Publication32/Enclosures/1.pdf"),  # from the root
        ("Enclosures/2.pdf", "Publication32", None),
        ("..\\..\\etc\\passwd", "Publication32", None),
        ("c:\\publish\\eDagsorden\\Publication32\\Enclosures\\1.pdf", "", None),
        ("", "Publication32", None),
    ],
)
def test_resolve(name: str, base: str, expected: str | None) -> None:
    assert resolve(TREE, name, base) == expected


def test_resolve_matches_decomposed_unicode() -> None:
    # A zip made on a Mac stores "å" as "a" + a combining ring; the manifest writes it composed.
    assert PathIndex(["Bila\u030ag.pdf"]).resolve("BIL\u00c5G.pdf") == "Bila\u030ag.pdf"


def test_folder_tree(tmp_path: Path) -> None:
    (tmp_path / "Enclosures").mkdir()
    (tmp_path / "Enclosures" / "1.pdf").write_bytes(b"%PDF-1")
    (tmp_path / "Publication32.xml").write_bytes(b"<Publication/>")
    tree = FolderTree(tmp_path)
    assert tree.paths() == ["Enclosures/1.pdf", "Publication32.xml"]
    assert tree.read("Enclosures\\1.pdf") == b"%PDF-1"
    with pytest.raises(FileNotFoundError):
        tree.read("../outside.txt")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_folder_tree_does_not_follow_links_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("hemmeligt")
    root = tmp_path / "export"
    root.mkdir()
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "folder").symlink_to(outside, target_is_directory=True)
    tree = FolderTree(root)
    assert tree.paths() == []
    for path in ("link.txt", "folder/secret.txt"):
        with pytest.raises(FileNotFoundError):
            tree.read(path)


def test_memory_tree_drops_paths_outside_the_root() -> None:
    tree = MemoryTree({"../evil.xml": b"<a/>", "/abs/ok.xml": b"<b/>", "a\\b.xml": b"<c/>"})
    assert tree.paths() == ["a/b.xml", "abs/ok.xml"]
