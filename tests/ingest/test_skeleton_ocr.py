import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.ocr import measure, repair
from ingest.skeleton import fold, shingles, skeleton, skeleton_tokens
from tests.support import CORPUS, seed

# The key as first defined: one translate per table and a test of every character for accents. The
# faster definition must give the same tokens, or BM25 indexes and duplicate signatures would change.
_FOLD = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"} | dict.fromkeys("|!lL", "i")
)
_SHAPE_LETTERS = str.maketrans({"0": "o", "1": "i", "c": "e", "f": "t", "h": "b"})


def _reference_strip(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _reference_skeleton(text: str) -> list[str]:
    folded = _reference_strip(re.sub(r"<[^>]{0,200}>", " ", text).translate(_FOLD).lower())
    folded = folded.replace("rn", "m").replace("cl", "d").translate(_SHAPE_LETTERS)
    collapsed = re.sub(r"[aeiouyg@z&£]+", "a", folded)
    return [tok for tok in re.findall(r"[a-z0-9]+", collapsed) if len(tok) > 1]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.text("æøåÆØÅlL|!rnclé́ẞ𝒜𝅥 <>", max_size=40)
)
def test_skeleton_equals_its_reference_definition(text: str) -> None:
    assert skeleton_tokens(text) == _reference_skeleton(text)
    assert fold(text) == _reference_strip(
        text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
    )


def test_skeleton_of_the_seed_corpus_equals_its_reference_definition() -> None:
    for path in sorted(CORPUS.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert skeleton_tokens(text) == _reference_skeleton(text), path.name


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
