"""What kind of input a question is, before anything is searched: markup-only (refused), without a single
word of Danish or English (declined), a keyword query (answered with excerpts), or a question; and whether
it asks what someone did, promised or decided (then sentences that state an action are preferred).
"""

from __future__ import annotations

import html
import re
from functools import cache

import wordfreq
from bm25s.stopwords import STOPWORDS_EN

from index.analyze import analyze, compound_parts

_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--.*?-->", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)  # letters only: digits are no word
# How common a word must be to count as one (Zipf scale: 1 = once per 100 million words). Random letter
# strings sit below it; real words, also rare ones, above it.
MIN_ZIPF = 1.5
_DICTIONARIES = ("da", "en")
_ENGLISH_STOP = frozenset(STOPWORDS_EN)
_MAX_SYMBOLS = 0.4  # share of a text's non-space characters
_QUESTION_WORDS = frozenset(
    re.split(
        r"\s+",
        "hvad hvem hvor hvornår hvordan hvorfor hvilke hvilken hvilket hvorledes er kan skal vil har gør "
        "gjorde what who whom whose where when why how which is are was were do does did can could will "
        "would should has have",
    )
)
# Verbs of doing, promising and deciding in questions ("what did X promise", "hvad gør X ved …"); not the
# modals or auxiliaries alone ("hvornår skal …", "how will …", "how many … did …"), which ask about much else.
_ACTION_QUESTION = re.compile(
    r"\b(?:gør|gjorde|gjort|gøre|gøres|lovede|lovet|love|besluttede|besluttet|beslutte|vedtog|vedtaget|"
    r"foreslog|foreslået|beslutning|beslutningen|sætte i (?:gang|værk)|sat i (?:gang|værk)|igangsat|iværksat|"
    r"tiltag|initiativer?|"
    r"ændre|ændret|ændrede|udfald\w*|svaret|svarede|responded|replied|"
    r"do|done|doing|promised?|decided?|agreed?|propose[ds]?|tackle|change[ds]?|outcome|committed|pledged?|"
    r"measures?|steps?|actions?)\b"
    # "What shall / will …" asks what is promised, when "what" is its first word: "hvad skal borgerne have
    # besked om", "what will the committee …"; not "hvornår skal …" or "how will …".
    # Not "hvad vil det sige" (what does it mean) or "what will it cost / take / mean".
    r"|^\W*(?:hvad|what)\s+(?:skal|vil|will|shall)\b(?!\s+(?:det\s+sige|it\s+(?:cost|take|mean))\b)"
    # "Will the centre start opening at weekends?", "vil kommunen …": whether something is promised; not
    # "will I / will it / vil jeg / vil der".
    r"|^\W*(?:will|vil)\s+(?!(?:i|jeg|you|du|man|one|it|det|der|there|this|that|my|min|mit|mine)\b)"
    # "How has … made …", "hvordan har … sikret …": asks what was done (not "how has … developed");
    # "how will … make sure / avoid …" asks what is promised. Not "how long / how many", nor "how will it
    # affect …", nor "hvordan kan jeg undgå …".
    r"|^\W*(?:how|hvordan)\s+(?:has|have|har)\b(?![^?]*\b(?:udviklet|developed)\b)"
    r"|^\W*(?:how|hvordan)\s+(?:will|shall|vil|skal)\b[^?]*"
    r"\b(?:make sure|ensure|avoid|prevent|sikre|sørge for|undgå|forhindre)\b"
    # "How do citizens now learn …", "hvordan får borgerne nu besked": asks what is done now (not "hvordan
    # ser skabelonen ud, som de nu skal bruge").
    r"|^\W*(?:how|hvordan)\s+(?:do|does|are|is|får|bliver|gør)\b(?!\s+(?:i|jeg|man|you|du|my|min|mit)\b)"
    r"[^?]*\b(?:now|nu)\b"
    # "How is … checked", "how does … now check …", "hvordan følges der op": asks what is done to oversee.
    r"|^\W*(?:how|hvordan)\b(?!\s+(?:long|many|much|often|soon)\b)(?![^?]*\b(?:kan|can)\s+(?:jeg|i|man)\b)"
    r"[^?]*\b(?:check(?:s|ed)?|monitor(?:s|ed)?|follow(?:s|ed)?\s+up|"
    r"kontrollere[rs]?|kontrolleret|tjekke[rs]?|følge[rs]?\s+(?:der\s+)?op|fulgt\s+op)\b",
    re.IGNORECASE,
)


# "Tjener" asks for pay when a period follows ("hvad tjener en pædagog om måneden"); alone it also means
# "serves" ("hvilket formål tjener tilsynet").
_EARNS = r"\btjener\b[^?.!]*\b(?:om|pr\.?|per|i)\s+(?:året|år|måneden|måned|timen|time|ugen|uge)\b"

# Questions whose answer is a figure: a count, an amount, a price, a rate. Their answer states one, in
# digits or in words. Not "how long / how often": "uforholdsmæssig lang tid" and "halvårligt" answer those.
_FIGURE_QUESTION = re.compile(
    r"\b(?:how (?:much|many|large|big)|hvor (?:mange|meget|stor|stort|store)|koste[rt]?|"
    r"costs?|price|prisen|rate|satsen|procent\w*|percentage|salary|salaries|"
    r"løn|lønnen|lønninger|earns?)\b|" + _EARNS,
    re.IGNORECASE,
)

# Of those, the ones whose figure is a sum of money.
# "Refusals of extra costs", "apply for additional costs": the name of a benefit (merudgifter), not a sum
# asked for; "what were the extra costs of …" still asks for one.
_BENEFIT = re.compile(
    r"\b(?:refusals?|decisions?|applications?|apply|applying|claims?|cover|covering|grants?)\s+(?:of\s+|on\s+|for\s+)?"
    r"(?:extra|additional)\s+costs?\b",
    re.IGNORECASE,
)
_MONEY_QUESTION = re.compile(
    r"\b(?:koste[rt]?|costs?|price|prisen|salary|salaries|løn|lønnen|lønninger|earns?)\b|" + _EARNS + "|"
    # "How much did X pay", "hvor stor en bod": an amount paid, spent or fined.
    # Not "how much time", "hvor stor en del / andel" (a share), nor "betalingssager" (a kind of case).
    r"\b(?:how\s+(?:much|large|big)(?!\s+(?:time|of)\b)|hvor\s+(?:meget|stor|stort|store)"
    r"(?!\s+(?:tid|en\s+del|en\s+andel|del|andel)\b))\b(?![^?]*\b(?:share|proportion|andel)\b)"
    r"[^?]*\b(?:pay|paid|pays|spend|spent|betale[rs]?|betalte?|bod|bøde[rn]?|gebyr\w*|fines?|fees?|penalt\w*|"
    r"udgift\w*)\b",
    re.IGNORECASE,
)


_TIME_QUESTION = re.compile(
    r"^\W*(?:(?:siden|fra|indtil|til)\s+)?hvornår\b|^\W*(?:(?:since|from|until)\s+)?when\b|"
    # "On what date", "which days"; not "what day care …", "which day centres …".
    r"^\W*(?:on\s+)?(?:what|which)\s+(?:dates?|days?)\b(?![\s-]*(?:care|cent(?:re|er)s?|services?)\b)|"
    r"^\W*(?:på\s+)?(?:hvilken|hvilke)\s+(?:dato|datoer|dag|dage)\b",
    re.IGNORECASE,
)
# Questions for the point in time something began: "since when", "when did …", "hvornår begyndte …",
# "on what date did …". A time of day or a weekday does not answer them.
_SINCE_QUESTION = re.compile(
    r"^\W*(?:since\s+when|siden\s+hvornår|(?:on|from)\s+(?:what|which)\s+date|"
    r"hvornår\s+(?:begyndte|startede|indførte)|"
    r"when\s+did\b[^?]*\b(?:start|begin|began|introduce|launch|open)\w*)\b|"
    r"^\W*(?:fra\s+)?(?:hvilken)\s+dato\s+(?:begyndte|startede|indførte)\b",
    re.IGNORECASE,
)
# A question whose second part asks when ("Which units were trained, and when?", "… og hvornår?").
_ALSO_WHEN = re.compile(r"\b(?:and|og)\s+(?:when|hvornår)\b", re.IGNORECASE)
# A member of staff who can be named: a therapist, a consultant, a caseworker (also in compounds,
# "ergoterapeut", "socialrådgiveren").
_STAFF = (
    r"\w*(?:terapeut|konsulent|sagsbehandler|visitator|koordinator|jurist|sygeplejerske|rådgiver)(?:en|e|erne)?|"
    r"consultant|case\s*worker|assessor|coordinator|lawyer|nurse|therapist|officer|manager"
)
# Questions for a person: who holds a post ("hvem er borgerrådgiver …", "who is the director of …"). Not
# "hvem er ansvarlig for …", "who is eligible …" or "hvem har ansvaret …", which a unit or a rule answers.
_PERSON_QUESTION = re.compile(
    r"^\W*(?:hvem|who)\s+(?:er|var|is|was)\s+(?:the\s+|den\s+|det\s+|ny\s+|new\s+)?(?:\w+s\s+)?"
    r"(?:borgerrådgiver\w*|citizens?['’]?\s+advis[eo]r|advis[eo]r|ombudsm\w*|direktør\w*|director|chef\w*|head|"
    r"leder\w*|leader|formand\w*|chair\w*|borgmester\w*|mayor|rådmand\w*|councillor|kontaktperson\w*|"
    rf"{_STAFF})\b"
    # "What is the name of Rudersdal's citizens' advisor", "hvad hedder borgerrådgiveren", "… the legal
    # consultant who …": the post itself, not a thing named after it ("the director's report",
    # "lederuddannelsen", "the head office").
    r"|^\W*(?:what\s+(?:is|was)\s+the\s+name\s+of|hvad\s+(?:hedder|hed|er\s+navnet\s+på))\s+"
    r"(?:the\s+|den\s+|det\s+|ny\s+|new\s+)?(?:\w+['’]s\s+|\w+s\s+)?(?:\w+e\s+|legal\s+|senior\s+)?"
    r"(?:borgerrådgiver(?:en|ens)?|citizens?['’]?\s+advis[eo]r|advis[eo]r|ombudsm[ae]n(?:den)?|"
    r"direktør(?:en)?|director|chef(?:en)?|head|leder(?:en)?|leader|formand(?:en)?|chair(?:man|woman|person)?|"
    rf"borgmester(?:en)?|mayor|rådmand(?:en)?|councillor|kontaktperson(?:en)?|{_STAFF})\b(?!['’]s|\s+office)",
    re.IGNORECASE,
)


# Questions that a sentence about what was only considered or proposed can answer: ones about proposals,
# considerations or plans ("hvad foreslog …", "what will the committee do …"). Others ask what was decided,
# done or is so ("hvad har udvalget besluttet …", "since when …", "hvilken nabokommune behandler nu …").
_ASKS_PROPOSAL = re.compile(
    r"\b(?:foreslog|foreslået|forslag\w*|propos\w*|suggest\w*|overvej\w*|consider\w*|undersøg\w*|"
    r"look\w*\s+into|discuss\w*|drøft\w*|id[ée]\w*|ideas?|muligheder|options?|recommend\w*|anbefal\w*|"
    r"will|shall|vil|skal|going\s+to|plan\w*)\b",
    re.IGNORECASE,
)


class MarkupOnly(ValueError):
    """Input that is empty once markup is taken out: there is nothing to search for."""


def plain_text(text: str) -> str:
    """The input without HTML/XML markup (script and style contents included) and entities decoded."""
    return " ".join(html.unescape(_TAG.sub(" ", _ELEMENT.sub(" ", text))).split())


def checked(text: str) -> str:
    """The question as it is searched: its plain text; MarkupOnly when markup is all there is."""
    plain = plain_text(text)
    if not plain:
        raise MarkupOnly("the question has no text besides markup")
    return plain


def words(text: str) -> list[str]:
    """The words of a text: runs of letters (a number is no word)."""
    return _WORD.findall(text)


@cache
def is_word(word: str) -> bool:
    """Whether a word is Danish or English by the dictionaries' frequency lists."""
    low = word.lower()
    common = any(wordfreq.zipf_frequency(low, lang) >= MIN_ZIPF for lang in _DICTIONARIES)
    return common or bool(compound_parts(low))  # a Danish compound of known words


def mostly_symbols(text: str) -> bool:
    """Whether symbols make up much of the text (code, paths, injections): a question is mostly words."""
    chars = [c for c in text if not c.isspace()]
    symbols = sum(not c.isalnum() for c in chars)
    return symbols > _MAX_SYMBOLS * len(chars)


def has_words(text: str, vocabulary: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether any word of the text is a Danish or English word, or a word of `vocabulary` (the corpus's
    words near the question, lower-cased)."""
    return any(len(w) > 1 and (is_word(w) or w.lower() in vocabulary) for w in words(text))


def is_question(text: str) -> bool:
    """Whether the input is phrased as a question: a question mark, or a question word first."""
    found = words(text)
    return "?" in text or bool(found and found[0].lower() in _QUESTION_WORDS)


def is_keyword_query(text: str) -> bool:
    """One or two words, not phrased as a question: a search for where they are mentioned."""
    return 0 < len(words(text)) <= 2 and not is_question(text)


def content_terms(text: str) -> set[str]:
    """The BM25 terms (stems and compound parts) of a text's words, without Danish and English stopwords."""
    return {
        t
        for t in analyze(" ".join(w for w in words(text) if w.lower() not in _ENGLISH_STOP))
        if not t.startswith("~")
    }


def asks_for_action(question: str) -> bool:
    """Whether a question asks what someone did, does, promised or decided."""
    return bool(_ACTION_QUESTION.search(question))


def asks_for_figure(question: str) -> bool:
    """Whether a question asks for a figure (how many, how much, what it costs, a rate)."""
    return bool(_FIGURE_QUESTION.search(_BENEFIT.sub(" ", question)))


def asks_for_time(question: str) -> bool:
    """Whether a question asks when ("Hvornår …?", "When will …?")."""
    return bool(_TIME_QUESTION.search(question))


def asks_since_when(question: str) -> bool:
    """Whether a question asks for the point in time something began ("Since when has …?", "Hvornår
    begyndte …?"), which a time of day does not answer."""
    return bool(_SINCE_QUESTION.search(question))


def asks_also_when(question: str) -> bool:
    """Whether a question asks when in a second part ("Who was trained, and when?"), not at its start."""
    return bool(_ALSO_WHEN.search(question)) and not asks_for_time(question)


def asks_for_person(question: str) -> bool:
    """Whether a question asks who someone is ("Hvem er borgerrådgiver i …?", "Who was the director?")."""
    return bool(_PERSON_QUESTION.search(question))


def asks_about_proposals(question: str) -> bool:
    """Whether a question asks about what is proposed, considered or planned ("hvad foreslog …", "what will
    the committee do …"), which a sentence about an idea only considered can answer; others ask what was
    decided, done or is so."""
    return bool(_ASKS_PROPOSAL.search(question))


def asks_for_money(question: str) -> bool:
    """Whether a question asks for a sum of money (a price, a cost, a salary)."""
    return bool(_MONEY_QUESTION.search(_BENEFIT.sub(" ", question)))


def mentioned(text: str, passage: str) -> bool:
    """Whether at least half of a text's content terms (stems, compound parts) occur in a passage."""
    wanted = content_terms(text)
    return bool(wanted) and len(wanted & content_terms(passage)) * 2 >= len(wanted)
