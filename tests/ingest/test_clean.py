from ingest.clean import (
    clean_blocks,
    collapse_whitespace,
    is_web_chrome,
    join_wrapped_lines,
    normalise_unicode,
    strip_glyphs,
)
from ingest.models import Block, Cell


def test_dehyphenation_joins_words_but_keeps_suspended_compounds() -> None:
    assert join_wrapped_lines("klage-\nsagsområdet") == "klagesagsområdet"
    assert join_wrapped_lines("borger- \nog brugertilfredshed") == "borger- og brugertilfredshed"
    assert join_wrapped_lines("Klima- \nMiljø- og Teknik") == "Klima- Miljø- og Teknik"
    assert join_wrapped_lines("it-\nunderstøttelsen") == "it-understøttelsen"
    assert join_wrapped_lines("2023-\n2024") == "2023-2024"
    assert join_wrapped_lines("en linje\nog en til") == "en linje og en til"


def test_whitespace_unicode_and_glyphs() -> None:
    assert collapse_whitespace("  a \t b\u00a0 c  ") == "a b c"
    assert normalise_unicode("bor\u00adger\u200b") == "borger"
    assert strip_glyphs("\uf0b7 punkt") == "punkt"


def test_web_chrome_dropped() -> None:
    assert is_web_chrome("Gå til hoved indhold")
    assert not is_web_chrome("Gå til borgerrådgiveren, hvis du vil klage.")
    blocks = [Block("paragraph", "Gå til hovedindhold"), Block("paragraph", "Tekst  her")]
    assert [b.text for b in clean_blocks(blocks)] == ["Tekst her"]


def test_cells_keep_their_lines() -> None:
    row = Block("row", cells=(Cell("Tema", " Dialog "), Cell("Svar", "• a  b\n\n• c")))
    cleaned = clean_blocks([row])[0]
    assert cleaned.cells == (Cell("Tema", "Dialog"), Cell("Svar", "• a b\n• c"))
