"""A status's reason: a language-neutral code and the details that fill its sentence, said in English or
Danish from the same details, so that no sentence is ever translated back from another language."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Lang = Literal["en", "da"]

_SENTENCES: dict[Lang, dict[str, str]] = {
    "en": {
        "action_taken": "The response in {where} reports a change already made (“{words}”).",
        "decision_made": "The response in {where} states a decision (“{words}”).",
        "plan_or_study": "The response in {where} plans or studies it (“{words}”) without a decision.",
        "acknowledged": "The response in {where} acknowledges it (“{words}”) without a commitment.",
        "mentioned": "The response in {where} is on the same subject but states no action or plan.",
        "declined": "The response in {where} declines it (“{words}”).",
        "mixed": "The response in {where} declines part of it and acts on or plans another part (“{words}”).",
        "no_match": "No passage in a later document stands out as an answer (best {best}, needs {needs}).",
        "no_response": "No later document of the same municipality is in the corpus.",
    },
    "da": {
        "action_taken": "Svaret i {where} nævner en ændring, der allerede er gennemført (»{words}«).",
        "decision_made": "Svaret i {where} nævner en beslutning (»{words}«).",
        "plan_or_study": "Svaret i {where} planlægger eller undersøger det (»{words}«) uden en beslutning.",
        "acknowledged": "Svaret i {where} anerkender det (»{words}«) uden et tilsagn.",
        "mentioned": "Svaret i {where} handler om det samme, men nævner ingen handling eller plan.",
        "declined": "Svaret i {where} afviser det (»{words}«).",
        "mixed": (
            "Svaret i {where} afviser en del af det og handler på eller planlægger en anden del (»{words}«)."
        ),
        "no_match": (
            "Ingen passage i et senere dokument skiller sig ud som svar (bedste {best}, kræver {needs})."
        ),
        "no_response": "Der er intet senere dokument fra samme kommune blandt dokumenterne.",
    },
}
CODES = frozenset(_SENTENCES["en"])
_SAME_ROW: dict[Lang, str] = {"en": "the same table row", "da": "samme tabelrække"}
_LATEST: dict[Lang, str] = {
    "en": "Latest of {count} answers ({when}): ",
    "da": "Det seneste af {count} svar ({when}) afgør: ",
}


@dataclass(frozen=True)
class Reason:
    code: str  # one of CODES
    where: str = ""  # the answering document's file name; "" for the report's own table row
    words: str = ""  # the answer's words that decided the code
    best: float = 0.0  # no_match: the best candidate's relative score, and the score it needed
    needs: float = 0.0
    latest_of: int = 0  # over 1: the latest of this many answering documents decided
    when: str = ""  # that document's year

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def deciding_of(self, count: int, when: str) -> Reason:
        """The same reason, said as the latest of `count` answers (from `when`)."""
        return replace(self, latest_of=count, when=when)

    def text(self, lang: Lang = "en") -> str:
        def number(value: float) -> str:
            return f"{value:.1f}".replace(".", ",") if lang == "da" else f"{value:.1f}"

        sentence = _SENTENCES[lang][self.code].format(
            where=self.where or _SAME_ROW[lang],
            words=self.words,
            best=number(self.best),
            needs=number(self.needs),
        )
        if self.latest_of <= 1:
            return sentence
        lead = _LATEST[lang].format(count=self.latest_of, when=self.when)
        return lead + (sentence[:1].lower() + sentence[1:] if lang == "da" else sentence)
