from pathlib import Path

from index.analyze import SKELETON_PREFIX, analyze, compound_parts, tokens
from index.lexical import LexicalDoc, LexicalIndex


def test_compounds_split_into_known_words() -> None:
    assert compound_parts("telefonpolitikken") == ("telefon", "politikken")
    assert compound_parts("konflikthåndteringskursus") == ("konflikt", "håndtering", "kursus")
    assert compound_parts("borger") == ()


def test_telefonpolitikken_meets_telefon() -> None:
    assert set(analyze("telefoner")) & set(analyze("Fokus på telefonpolitikken"))


def test_danish_and_english_stopwords_removed() -> None:
    assert tokens("Hvad er det, the municipality og kommunen gør?") == ["municipality", "kommunen", "gør"]


def test_garbled_text_matches_through_skeleton_terms() -> None:
    clean = {t for t in analyze("løbende opfølgning") if t.startswith(SKELETON_PREFIX)}
    garbled = {t for t in analyze("Igbende opfelgning") if t.startswith(SKELETON_PREFIX)}
    assert clean & garbled


def _index() -> LexicalIndex:
    return LexicalIndex.build(
        [
            LexicalDoc("a", "Fokus på telefonpolitikken i Klima, Miljø og Teknik."),
            LexicalDoc("b", "Byggesager og sagsbehandlingstid."),
            LexicalDoc("c", "Forvaltningen fglger Igbende op", extra="Forvaltningen følger løbende op"),
        ]
    )


def test_top_ranks_filters_and_coverage() -> None:
    index = _index()
    assert index.top("telefon", 3)[0][0] == "a"
    assert index.top("telefon", 3, allowed={"b"}) == []
    assert index.top("følger løbende", 3)[0][0] == "c"  # through the machine-corrected reading
    assert index.coverage("telefon byggesager") == 1.0
    assert index.coverage("what about phones") == 0.0


def test_cache_is_keyed_by_fingerprint(tmp_path: Path) -> None:
    index = _index()
    index.save(tmp_path / "lex", "gen-1")
    loaded = LexicalIndex.load(tmp_path / "lex", "gen-1")
    assert loaded is not None and loaded.top("telefon", 1)[0][0] == "a"
    assert LexicalIndex.load(tmp_path / "lex", "gen-2") is None
    assert LexicalIndex.load(tmp_path / "missing", "gen-1") is None
