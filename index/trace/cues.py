"""Sentence-level features that tell a recommendation from the sentences that look like one.

A recommendation is a present-tense act of recommending, urging or finding that a unit should change
("anbefaler, at", "Det anbefales", "opfordrer … til", "henstiller", "… bør …"), by the advisor (or an
ombudsman, auditor, committee) or impersonally. Look-alikes share the words but not the act:

- quotes (a citizen's words, an official quoted in the news): the cue sits inside quotation marks or the
  sentence is attributed to a speaker ("sagde", "skrev");
- citizens' proposals: someone other than the advisor is the subject of the verb;
- statements of the law ("Efter forvaltningslovens § 7 skal …") and of principles of god forvaltningsskik
  explained as such;
- past recommendations and criticism counted in statistics ("anbefalede", "burde have"): past tense is
  never a cue, so last year's recommendations and the advisor's case counts stay out;
- the advisor's statutory role and own plans: no cue verb at all ("skal", "vil tilbyde");
- questions.
"""

from __future__ import annotations

import re

# Present tense (active or passive) of verbs that recommend; infinitives and past forms are not cues.
RECOMMENDS = re.compile(
    r"\b(anbefaler|anbefales|opfordrer|opfordres|henstiller|henstilles|foreslår|foreslås|tilråder|tilrådes|"
    r"recommends?|urges?)\b",
    re.IGNORECASE,
)
# "… bør …": a finding that something should change; weaker, so the exclusions below apply to it.
SHOULD = re.compile(r"\b(bør|should)\b", re.IGNORECASE)
# A response quoting what the report recommended: "borgerrådgiverens anbefaling om, at …".
RECOMMENDATION_OF = re.compile(r"\banbefaling(en|er|erne)?\s+om,?\s+at\b", re.IGNORECASE)
# A lead-in whose recommendations follow as bullets: "Borgerrådgiveren anbefaler derfor:".
LEAD_IN = re.compile(r":\s*$")
ATTRIBUTED = re.compile(
    r"borgerr[aå]d(s)?giver|ombudsm|beretning|[aå]rsrapport|citizen advisor|ombudsman|the report",
    re.IGNORECASE,
)

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|”[^”]*”|„[^“”]*[“”]|«[^»]*»|»[^«]*«")
_SPEECH = re.compile(
    r"\b(siger|sagde|udtaler|udtalte|fortæller|fortalte|skriver|skrev|citeres|lyder det|says|said)\b",
    re.IGNORECASE,
)
# Someone other than the advisor as the one who recommends or proposes.
_OTHER_AGENT = re.compile(
    r"\b(borger(e|en|ne)?|pårørende|forældre(ne)?|far|mor|klager(en|ne)?|ansøger(en|e|ne)?|"
    r"rådmand(en)?|borgmester(en)?|direktør(en)?|chef(en)?|afdelingschef(en)?|politiker(e|ne)?)\b",
    re.IGNORECASE,
)
_ADVISOR = re.compile(r"borgerr[aå]dgiver|ombudsm|revision|\budvalg", re.IGNORECASE)
_LAW = re.compile(
    r"^\W*(efter|ifølge|i henhold til|i medfør af|jf\.?|det følger af|according to|under)\b[^.]{0,120}?"
    r"(§|\w*lov(en|ens|s)?\b|bekendtgørelse|act\b)",
    re.IGNORECASE,
)
_PRINCIPLE = re.compile(
    r"(god forvaltningsskik|forvaltningsretlige? princip|grundlæggende princip|principperne for)",
    re.IGNORECASE,
)
_FIRST_PERSON_SHOULD = re.compile(r"\b((vi|jeg|we|I)\s+(bør|should)|bør\s+(vi|jeg))\b", re.IGNORECASE)
_COUNTED = re.compile(r"\b\d+\s+(af\s+\w+\s+)?(sager|tilfælde|klager|henvendelser|cases)\b", re.IGNORECASE)


_QUOTE_MARKS = '"“”„«»'


def unquoted(sentence: str) -> str:
    """The sentence with its quoted parts blanked out (the same length, so offsets still hold). A quote
    that a sentence break cut in two leaves one mark: the part before it (or after it, when the quote
    opens here) is blanked too."""
    text = _QUOTED.sub(lambda m: " " * len(m.group(0)), sentence)
    marks = [i for i, ch in enumerate(text) if ch in _QUOTE_MARKS]
    if not marks:
        return text
    at = marks[0]
    # A closing mark with speech after it ends a quote opened in an earlier sentence.
    if _SPEECH.search(text[at:]) or text[at] in "”»":
        return " " * (at + 1) + text[at + 1 :]
    return text[:at] + " " * (len(text) - at)


def is_quote(sentence: str) -> bool:
    """Someone's quoted words, or a sentence reporting what someone said."""
    return (bool(_QUOTED.search(sentence)) and bool(_SPEECH.search(unquoted(sentence)))) or (
        _QUOTED.fullmatch(sentence.strip().rstrip(".")) is not None
    )


def _clause_before(text: str, at: int) -> str:
    """The words between the last clause break and a verb: its subject when the word order is straight."""
    head = text[:at]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
    return head[cut + 1 :]


def _other_agent(text: str, verb: re.Match[str]) -> bool:
    before = _clause_before(text, verb.start())
    return bool(_OTHER_AGENT.search(before)) and not _ADVISOR.search(before)


def recommending_cue(sentence: str) -> str | None:
    """The word that makes a sentence a recommendation, or None for a look-alike or an ordinary sentence."""
    text = unquoted(sentence)
    if sentence.rstrip().endswith("?") or (is_quote(sentence) and not _ADVISOR.search(text)):
        return None
    verb = RECOMMENDS.search(text) or RECOMMENDATION_OF.search(text)
    if verb:
        return None if _other_agent(text, verb) else verb.group(0)
    should = SHOULD.search(text)
    if should is None or _FIRST_PERSON_SHOULD.search(text) or _other_agent(text, should):
        return None
    if _LAW.search(text) or _PRINCIPLE.search(text) or _COUNTED.search(text):
        return None
    return should.group(0)


def is_lead_in(sentence: str) -> bool:
    """A sentence that announces recommendations listed below it ("Borgerrådgiveren anbefaler derfor:")."""
    return (
        bool(LEAD_IN.search(sentence)) and recommending_cue(sentence.rstrip().rstrip(":") + ".") is not None
    )
