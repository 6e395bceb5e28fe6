"""A meeting's full agenda is a copy of its items passage by passage: by containment, within one meeting
of one municipality, and never hiding public text behind a closed item."""

from __future__ import annotations

from typing import Any

from index.duplicates import meeting_copies


def _row(chunk: str, item: str | None, access: str = "public", municipality: str = "Varde") -> dict[str, Any]:
    return {
        "chunk_id": chunk,
        "item_number": item,
        "access": access,
        "committee": "Social- og Seniorudvalget",
        "meeting_date": "2025-09-09",
        "municipality": municipality,
    }


def _shingles(*ranges: range) -> frozenset[str]:
    return frozenset(f"s{n}" for r in ranges for n in r)


def test_a_passage_held_by_the_items_is_a_copy_of_the_item_it_shares_most_with() -> None:
    rows = [_row("a", "1"), _row("b", "2"), _row("full", None)]
    shingles = {"a": _shingles(range(0, 40)), "b": _shingles(range(40, 60)), "full": _shingles(range(10, 60))}
    assert meeting_copies(rows, shingles) == {"full": "a"}
    # Under 70 % held: the full agenda's own text.
    shingles["full"] = _shingles(range(30, 60), range(100, 120))
    assert meeting_copies(rows, shingles) == {}


def test_public_text_never_hides_behind_a_closed_item() -> None:
    rows = [_row("pub", "1"), _row("closed", "2", "restricted"), _row("full", None)]
    shingles = {
        "pub": _shingles(range(0, 55)),
        "closed": _shingles(range(55, 85)),
        "full": _shingles(range(0, 85), range(200, 215)),
    }
    # 85 of 100 shingles stand in the items, but only 55 in public ones: the public passage stays.
    assert meeting_copies(rows, shingles) == {}
    rows[2] = _row("full", None, "restricted")
    assert meeting_copies(rows, shingles) == {"full": "pub"}


def test_another_municipalitys_meeting_on_the_same_day_is_another_meeting() -> None:
    rows = [_row("a", "1", municipality="Aarhus"), _row("full", None, municipality="Randers")]
    shingles = {"a": _shingles(range(0, 50)), "full": _shingles(range(0, 50))}
    assert meeting_copies(rows, shingles) == {}
