"""The lexical analyzer's language switch used for Swedish and Norwegian sets; Danish stays the default."""

from __future__ import annotations

import pytest

from index.analyze import analyze, compound_parts, language, tokens


def test_danish_is_the_default_and_comes_back() -> None:
    danish = analyze("Kommunernes sagsbehandlingstider")
    with language("sv"):
        swedish = analyze("Kommunernes sagsbehandlingstider")
        assert "och" not in tokens("kommunen och regionen")
    assert analyze("Kommunernes sagsbehandlingstider") == danish
    assert swedish != danish
    assert compound_parts("telefonpolitikken") == ("telefon", "politikken")


def test_norwegian_stopwords_and_stems() -> None:
    with language("no"):
        assert tokens("Hvordan har det vært for henne") == []
        assert analyze("avgangen")[0] == analyze("avgang")[0]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no analyzer"), language("fi"):
        pass
