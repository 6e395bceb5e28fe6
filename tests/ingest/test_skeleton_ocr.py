from ingest.ocr import measure, repair
from ingest.skeleton import shingles, skeleton, skeleton_tokens
from tests.conftest import seed


def test_skeleton_meets_ocr_confusions() -> None:
    assert skeleton("Økonomiforvaltningen følger løbende") == skeleton("@konomiforvaltningen fglger Igbende")
    assert skeleton("Beskæftigelses- og Integrationsforvaltningen") == skeleton(
        "Beskeeftigelses- og Integrationsforvaltningen"
    )
    assert skeleton("borgerrådgiveren") != skeleton("byggesagsområdet")


def test_skeleton_drops_bullets_and_markup() -> None:
    assert skeleton_tokens("e At <b>borgeren</b> o") == skeleton_tokens("• At borgeren")
    assert shingles(["a", "b"], 5) == {"a b"}
    assert len(shingles(list("abcdefg"), 5)) == 3


def test_quality_flags_garbled_danish_and_not_clean() -> None:
    clean = measure(seed("001").read_text(), "da")
    garbled = measure(seed("002").read_text(), "da")
    twin = measure(seed("000").read_text(), "da")
    assert not clean.garbled and clean.quality > 0.9
    assert garbled.garbled and twin.garbled
    assert garbled.quality < 0.5 and twin.quality < 0.5
    english = measure("The administration will improve guidance for citizens and reduce waiting times.", "en")
    assert not english.garbled and english.quality > 0.8


def test_repair_fixes_common_confusions_and_leaves_good_words() -> None:
    fixed = repair("Forvaltningen fglger Igbende op pa klagerne og drgfter dem bade internt")
    assert "løbende" in fixed.lower() and " på " in fixed and "drøfter" in fixed and "både" in fixed
    assert repair("Forvaltningen følger løbende op") == "Forvaltningen følger løbende op"
