"""The sentences of retrieved passages that an answer can quote: split, cleaned of markers and labels, and
told apart by what they state (an action, decision or commitment, or a problem).

A bullet often opens with a short lead-in ("Fokus på telefonpolitikken.", "**Klarere afgørelser.**") whose
point follows in the next sentences; such a lead-in is quoted together with its continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from index.models import Hit
from ingest.assemble import SECTION_SEPARATOR
from ingest.fields import HEADER_FIELDS
from ingest.metadata import MONTH_NAMES, WEEKDAY
from ingest.sentences import sentence_spans

_INLINE_MARKER = re.compile(r"\s[•◦▪‣]\s")  # a list item that starts inside a line (table cells)
_MARKER = re.compile(r"^(?:[•◦▪‣∙*–-]\s+|o\s+(?=\S))+")  # list markers in front of a sentence
_LABEL = re.compile(r"^[^\W\d_][^:\n]{0,58}?:(?:\s+|$)")  # "Header: text", "Opfølgning – Hvad gør vi?:"
_LABEL_WORDS = 7
_MIN_WORDS = 4
_LEAD_IN_WORDS = 10  # a bullet's first sentence this short, with more after it, is a lead-in
_LABEL_LINE_WORDS = 12  # a line of its own this short, without a sentence's end, is a title or an address
# A header field, or a letter's reference line, at the start of a line.
_HEADER_FIELD = re.compile(
    rf"(?:^|\n)[ \t]*(?:{'|'.join(HEADER_FIELDS)}|vedr\.?|vedrørende|sagsnr\.?|j\.\s?nr\.?|journalnr\.?|"
    r"(?:deres|vores|our|your)\s+ref\.?|ref\.?|re)[ \t]*:",
    re.IGNORECASE,
)
# A document saying what it is or shows ("Skemaet viser borgerrådgiverens anbefalinger …", "This is an
# unofficial summary …"): about the document, no answer. Not what it shows to be so ("Rapporten viser, at …"),
# nor a figure or a list it gives ("Tabellen viser antallet af klager, som steg fra 98 til 142"), nor what
# happened to it ("Brevet er sendt til borgeren").
_ABOUT_ITSELF = re.compile(
    r"^\W*(?:(?:this|dette)\s+(?:is|er)\s+(?:an?|et|en)\s+(?:\w+\s+){0,2}(?:summary|note|document|"
    r"overview|page|letter|memo|report|notat|dokument|oversigt|referat|resumé|sammenfatning|brev|side)\b|"
    r"(?:(?:dette|denne|det\s+her)\s+(?:notat|dokument|skema|oversigt|referat|brev|svar|side)\w*|"
    r"notatet|dokumentet|skemaet|tabellen|oversigten|referatet|redegørelsen|brevet|"
    r"this\s+(?:note|document|table|overview|summary|page|letter|memo|report))\s+"
    r"(?:viser|beskriver|indeholder|gennemgår|samler|opsummerer|giver\s+et\s+overblik|shows|describes|"
    r"contains|sets\s+out|summari[sz]es|lists|gives\s+an\s+overview))\b(?![^\n]*(?:\b(?:at|that)\b|\d|:))",
    re.IGNORECASE,
)
_CLOSING = " \t\n\"'”’»)]"  # what may close a sentence after its mark
_SENTENCE_END = re.compile(r"[.!?:;…»”\")]$")
_ITEM_START = re.compile(r"\s*(?:(?:[•◦▪‣∙–-]|\*(?!\*)|o(?=\s)|\d+[.)])\s+)?(?:\*\*|__)?\s*")
_NEW_ITEM = re.compile(r"\n\s*\n|\n\s*(?:[•◦▪‣∙*–-]|o|\d+[.)])\s")

# What a sentence of an action, decision or commitment says (Danish, and English for English documents):
# a modal of intent, a decision, or a verb of doing in any tense ("etablere", "etableret", "etableres").
_ACTION = re.compile(
    r"\b(?:vil|skal|agter|påtænker|planlægge[rs]?|forventer|besluttede|besluttet|beslutter|vedtog|vedtaget|"
    # A deed in the perfect; not what was received, had or seen ("har i alt modtaget 158 henvendelser").
    r"godkendte?|indstiller|bad|har (?!(?:\w+ ){0,3}(?:modtaget|fået|haft|været|set|hørt)\b)(?:\w+ ){0,3}"
    r"(?:\w+et|\w+t)|er (?!(?:\w+ ){0,3}(?:modtaget|fået|haft|været|set|hørt)\b)(?:\w+ ){0,3}(?:\w+et|\w+t)|"
    # What the writers do now, in the present ("We now put a short summary at the top of all letters").
    r"(?:we|vi) (?:now |nu |also |også )?(?:put|send|give|offer|call|write|check|publish|add|answer|reply|"
    r"sender|giver|tilbyder|ringer|skriver|tjekker|lægger|svarer)|"
    r"(?:etabler|iværksæt|igangsæt|indfør|opret|ansæt|ansat|udarbejd|afhold|udbyd|uddann|gennemfør|"
    r"indskærp|forenkl|udvid|afsæt|afsat|opsig|registrer|nedbring|opdater|tildel|udpeg|tilbyd|sikre|"
    r"styrke|ændre|ændret|omlæg|invitere|ansøge|indkald|sende|sendes|sender|skrive[rs]? om|skrevet om|"
    r"kontroller|deltage[rs]? i|deltog i|følge[rs]? op|tage[rs]? fat|sæt(?:te[rs]?)? i gang|sat i gang|"
    r"afvis|afviste|udsæt|udsatte|udsat|pålæg|pålagt|genoptag|"
    # A vote is a decision too: "Forslaget blev sat til afstemning og faldt", "was voted down".
    r"til afstemning|forkast|nedstemt|stemte|voted|"
    # A decline is the answer to a recommendation too: "Ingen handling – …", "finder ikke grundlag for".
    r"ingen handling|finder ikke (?:grundlag|anledning)|vurderer ikke|not able to|do not plan|decided not|"
    r"set up|introduc|launch|reject|postpon|approv|cancel|"
    r"will|shall|decided|agreed|committed|establish|appoint|hire|train|extend|"
    # English: a deed in the perfect ("has changed its procedure", "have now rewritten the letters"), not
    # a state or a lack ("has been hard", "has not received", "has a need").
    r"(?:has|have) (?:(?!(?:been|not|never|no|a|an|the)\b)\w+ ){0,2}(?!(?:been|not|never|no|a|an|the)\b)"
    r"(?:\w{3,}ed|\w+(?:tten|ken|ven|sen|wn)|built|sent|set|put|begun|made))\w*)\b",
    re.IGNORECASE,
)
# What the advisor, a report or citizens recommend or propose, in any tense, as the sentence's subject
# ("Borgerrådgiveren har anbefalet, at …", "The advisor recommended …", "Det anbefales …"): what is asked for.
# Not a unit's own proposal ("Sundhed og Omsorg indstiller, at …", "Borgerservice … foreslår"), which is what
# that unit does, nor a deed done as recommended ("…, som borgerrådgiveren anbefalede").
_ASKED_FOR = re.compile(
    r"^\W*(?:(?:the\s+|den\s+|de\s+)?(?:borgerrådgiver\w*|citizens?'?\s+advis[eo]r\w*|advis[eo]r\w*|"
    r"ombudsm\w*|beretning\w*|rapport\w*|report|borgere|borgerne|citizens|residents|pårørende|relatives)"
    r"\b[^.;:]{0,60}?|(?:det|it is)\s+)"
    r"\b(?:anbefal(?:er|es|ede|et)|foreslå(?:r|s|et)|foreslog|opfordre(?:r|s|de|t)|henstill(?:er|es|ede|et)|"
    r"recommend(?:s|ed)?|propos(?:es|ed)|suggest(?:s|ed)?|urge[sd]?)\b",
    re.IGNORECASE,
)
_NEXT_CLAUSE = re.compile(r"[,;]\s+(?:and|but|og|men)\s")
# Who wrote a document, not what anyone does: "Udarbejdet af …", "Prepared by …".
_BYLINE = re.compile(
    r"\W*(?:udarbejdet|skrevet|udfærdiget|prepared|written|compiled)\s+(?:af|by)\b", re.IGNORECASE
)
_PROBLEM = re.compile(
    r"\b(?:klage[rt]?|klagede|klagerne|kritik\w*|manglende|mangelfuld\w*|for lang\w*|lange|utilfred\w*|"
    r"problem\w*|udfordring\w*|vanskelig\w*|svært|oplever|oplevet|konstateres|påpege[rt]?|påpeget|"
    r"fremhæver|peger på|ikke altid|ikke fik|ikke får|ikke blev|complain\w*|problems?|criticis\w*|lack\w*|"
    r"failed|not always|(?:was|were|did|has|have) not|hasn't|haven't|ikke fået|ikke modtaget|ventet|"
    r"waited)\b",
    re.IGNORECASE,
)

# A decision not to act, stated by whoever decides: "Social og Ældre følger ikke anbefalingen", "We have
# not changed our opening hours". It answers "has X agreed to …?" as much as a deed does, and its "not" is
# no lack ("borgerne får ikke svar", "has not received" stay problems).
_DECLINE = re.compile(
    # Not following, meeting or taking up a recommendation or proposal ("følger ikke anbefalingen"); not
    # "følger ikke op på henvendelserne", which is a lack.
    r"\b(?:følger|imødekommer|efterkommer|tager)\s+ikke\s+(?:\w+\s+){0,2}?"
    r"(?:anbefaling|forslag|ønske|henstilling)\w*|"
    r"\b(?:har\s+)?(?:valgt|valgte|besluttet|besluttede)\s+ikke\s+at\b|"
    # The writers' own decision ("We have not changed our opening hours"); not "the situation has not
    # changed" or "the caseworker did not follow the guidelines".
    r"\bwe\s+(?:have|has|had|did|do|will|shall)\s+not\s+(?:change|introduce|extend|adopt|implement|open)\w*|"
    r"\b(?:do|does|did|will)\s+not\s+(?:follow|accept|adopt)\s+(?:the|this|that|its|your)\s+(?:\w+\s+)?"
    r"(?:recommendation|proposal|suggestion)s?\b|\b(?:chose|choose|decided)\s+not\s+to\b",
    re.IGNORECASE,
)

# Numbers in words; not Danish "to" and "fire" (two, four), which are English words too.
NUMBER_WORDS = (
    r"(?:tre|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|tredive|fyrre|halvtreds|hundrede|tusinde?|"
    r"million(?:er)?|milliard(?:er)?|halvdel(?:en)?|tredjedel|fjerdedel|dobbelt|two|three|four|five|six|"
    r"seven|eight|nine|ten|twenty|hundred|thousand|millions?|billions?|half|third|quarter|twice)"
)
_FIGURE = re.compile(rf"\b{NUMBER_WORDS}\b", re.IGNORECASE)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A year alone (2023) dates a sentence; it is not the count or amount a figure question asks for.
YEAR = re.compile(r"(?:19|20)\d\d")
# Neither does a date or a time of day ("den 25. november 2020", "1 April 2024", "15.3.2024", "kl. 15.00");
# "May" only capitalised, since "may" is a modal ("40 may be placed on the list").
# Every spelling of a month but "may", which is a month only capitalised.
_MONTH = "(?:" + "|".join([*(m for m in MONTH_NAMES if m != "may"), "(?-i:May)"]) + r")\.?"
DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s+{_MONTH}(?!\w)|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|"
    r"\b(?:kl\.?|klokken)\s*\d{1,2}(?:[.:]\d\d)?\b",
    re.IGNORECASE,
)

# When something happens: a year, a month, a weekday, a season, a quarter, a date, a span of time.
_WHEN = re.compile(
    rf"(?<!\d)(?:19|20)\d\d(?!\d)|\b{_MONTH}(?!\w)|\b(?:{WEEKDAY}|hverdage|"
    r"weekdays?|foråret|sommeren|"
    r"efteråret|vinteren|spring|summer|autumn|winter|kvartal|quarter|medio|primo|ultimo|årsskiftet|"
    r"næste år|i år|sidste år|next year|this year|last year|uge \d+|week \d+)\b|"
    rf"\b(?:\d+|{NUMBER_WORDS})\s+(?:dage|dag|uger|uge|måneder|måned|år|timer|days?|weeks?|months?|years?|"
    r"hours?|working days?|arbejdsdage|hverdage)\b",
    re.IGNORECASE,
)
# A point in time, as "since when" asks: a year, a month, a date, a season, a quarter; not a time of day,
# a weekday or a span ("til kl. 15 alle hverdage" says when it is open, not since when).
_POINT = re.compile(
    rf"(?<!\d)(?:19|20)\d\d(?!\d)|\b{_MONTH}(?!\w)|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|"
    r"\b(?:foråret|sommeren|efteråret|vinteren|spring|summer|autumn|winter|kvartal|quarter|medio|primo|"
    r"ultimo|årsskiftet|næste år|i år|sidste år|next year|this year|last year|uge \d+|week \d+)\b",
    re.IGNORECASE,
)
# Considering, looking into or proposing rather than deciding or doing.
_CONSIDERED = re.compile(
    r"\b(?:overvejer|overvejet|overvejes|overvejede|overvejelse|undersøger,? om|undersøges,? om|ser på,? om|"
    r"looking into whether|considering|being considered|being discussed|foreslog|foreslået af|"
    r"proposed by|suggested)\b",
    re.IGNORECASE,
)
# A person's name: two capitalised words, neither an article nor a word of an organisation's name.
_NOT_NAME = (
    r"(?:The|A|An|Den|Det|De|En|Et|Kommune|Kommunes|Municipality|Council|City|Committee|Department|"
    r"Services?|Service's|Administration|Office|Centre|Center|Afdeling|Udvalg|Byråd|Citizens'?)\b"
)
_CAPITAL = rf"(?!{_NOT_NAME})[A-ZÆØÅ][a-zæøåé]+"
_NAME = re.compile(rf"\b{_CAPITAL}(?:-[A-ZÆØÅ][a-zæøåé]+)?\s+(?:[A-ZÆØÅ]\.\s+)?{_CAPITAL}\b")

_MONEY = re.compile(r"\b(?:kr|kroner|dkk|mio|mia|euro|eur)\b|[€$£]", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage; `start`, `end` are offsets in the document's stored text."""

    hit: Hit
    start: int
    end: int
    lead_in: bool = False  # a bullet's short opening sentence with more of the item after it

    @property
    def text(self) -> str:
        return self.hit.text[self.start - self.hit.start : self.end - self.hit.start]


def _skip(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    found = pattern.match(text[start:end])
    return start + found.end() if found else start


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without list markers, without a leading short "Header:" label, and trimmed."""
    start = _skip(_MARKER, text, start, end)
    label = _LABEL.match(text[start:end])
    # Not "Borgerrådgiveren anbefaler: at …": who asks is part of what the sentence says.
    if label and len(label.group().split()) <= _LABEL_WORDS and not _ASKED_FOR.search(label.group()):
        start = _skip(_MARKER, text, start + label.end(), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a passage, shifted by `offset`: lines, list items (also those
    inside one line of a table cell) and the sentences in them, without markers and "Header:" labels."""
    spans: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        inner = [m.start() + 1 for m in _INLINE_MARKER.finditer(text, start, end)]
        cuts = [start, *sorted(inner), end]
        for a, b in pairwise(cuts):
            a, b = _clean_span(text, a, b)
            if b > a:
                spans.append((offset + a, offset + b))
    return spans


def _label(text: str, start: int, end: int) -> bool:
    """Whether a sentence is a line of its own without a sentence's end, a dozen words at most: a title, a
    heading, an address or a signature ("Direktør for Teknik & Miljø"), which states nothing to quote.
    A list item is not one (its marker stands before it on the line), nor a line that states an action."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    alone = (
        not text[line_start:start].strip() and not text[end : len(text) if line_end < 0 else line_end].strip()
    )
    return (
        alone
        and len(text[start:end].split()) <= _LABEL_LINE_WORDS
        and not _SENTENCE_END.search(text[start:end])
    )


def _header(text: str, start: int, end: int) -> bool:
    """Whether a sentence is (or runs into) a letter's or memo's header field: "Til:", "Fra:", "Dato:",
    "Emne:", "To:", "Our ref.:" at the start of one of its lines. Header lines rarely end in a full stop,
    so a block of them reads as one sentence ("Kvalitet og Jura Fra: … direktør … Dato: … Emne: …")."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_HEADER_FIELD.search(text[line_start:end]))


def _opens_item(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens a list item or a line that begins in bold."""
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return bool(_ITEM_START.fullmatch(line))


def _same_item(text: str, end: int, following: int) -> bool:
    """Whether the next sentence continues the same item (no new item or paragraph between them)."""
    return not _NEW_ITEM.search(text[end:following])


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Sentences of the hits worth quoting: a few words at least, no bare headings; a lead-in is marked."""
    found = []
    for hit in hits:
        headings = set(hit.section.split(SECTION_SEPARATOR)) if hit.section else set()
        spans = split_sentences(hit.text, hit.start)
        for i, (start, end) in enumerate(spans):
            text = hit.text[start - hit.start : end - hit.start]
            words = len(text.split())
            local = (start - hit.start, end - hit.start)
            if words < _MIN_WORDS or any(text in h for h in headings) or _label(hit.text, *local):
                continue  # a heading, or a part of one ("Item 7: English version of …")
            if _ABOUT_ITSELF.match(text):
                continue
            if _header(hit.text, *local) or text.rstrip(_CLOSING).endswith("?"):
                # A question the document asks (a mail's request, a FAQ's heading) answers none.
                continue
            # A short opening of an item, or a sentence that announces what follows (ends in a colon).
            lead_in = i + 1 < len(spans) and (
                text.endswith(":")
                or (
                    words <= _LEAD_IN_WORDS
                    and _opens_item(hit.text, start - hit.start)
                    and _same_item(hit.text, end - hit.start, spans[i + 1][0] - hit.start)
                )
            )
            found.append(Candidate(hit, start, end, lead_in))
    return found


def continuation(cands: list[Candidate], i: int, prefer_action: bool) -> int:
    """Index of the sentence that completes the lead-in at `i`: the next sentence of the same hit, or,
    for a question about actions, the first of the next three that states one."""
    same = [j for j in range(i + 1, min(i + 4, len(cands))) if cands[j].hit is cands[i].hit]
    if not same:
        return i
    if prefer_action:
        for j in same:
            if states_action(cands[j].text):
                return j
    return same[0]


def _counts(text: str) -> tuple[int, int]:
    """Words of action and words of a problem in a sentence. A verb phrase whose participle or adjective
    is a problem word ("har oplevet", "har svært ved") counts as a problem only. What someone recommends
    or proposes ("Borgerrådgiveren har anbefalet, at Borgerservice udvider telefontiden") is what is asked
    for, not what is done: the verb counts as a problem, and the actions after it count not at all. A
    decision not to act (`_DECLINE`) counts as an action, and its "not" as no problem."""
    declines = [m.span() for m in _DECLINE.finditer(text)]
    problems = [
        m.span()
        for m in _PROBLEM.finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in declines)
    ]
    asked = _ASKED_FOR.search(text)
    wish = (0, 0)  # where the recommended clause runs: from its subject to the next main clause
    if asked:
        problems.append(asked.span())
        rest = _NEXT_CLAUSE.search(text, asked.end())
        wish = (asked.start(), rest.start() if rest else len(text))
    actions = [
        m
        for m in _ACTION.finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in problems) and not wish[0] <= m.start() < wish[1]
    ]
    declined = [
        (a, b)
        for a, b in declines
        if not wish[0] <= a < wish[1] and not any(m.start() < b and a < m.end() for m in actions)
    ]
    return len(actions) + len(declined), len(problems)


def states_action(text: str) -> bool:
    """Whether a sentence states an action, decision or commitment: more words say so than describe a
    problem ("har oplevet" is no action); a byline ("Udarbejdet af Borgmesterens Afdeling") is none."""
    if _BYLINE.match(text):
        return False
    actions, problems = _counts(text)
    return actions > problems


def states_problem(text: str) -> bool:
    """Whether a sentence describes a problem or a complaint rather than what is done about it."""
    actions, problems = _counts(text)
    return problems > actions


def raises_problem(text: str) -> bool:
    """Whether a sentence names a problem at least as much as it states an action ("Mange af de klager,
    du har modtaget, handler om beholdere, der ikke blev tømt")."""
    actions, problems = _counts(text)
    return problems > 0 and problems >= actions


def states_figure(text: str) -> bool:
    """Whether a sentence states a figure: a number in digits (not a year alone, a date or a time of
    day) or in words."""
    numbers = (m.group() for m in _NUMBER.finditer(DATE.sub(" ", text)))
    return any(not YEAR.fullmatch(n) for n in numbers) or bool(_FIGURE.search(text))


def only_considered(text: str) -> bool:
    """Whether a sentence says that something is or was considered, looked into or proposed by someone
    ("Forvaltningen overvejer …", "Der har været overvejet …", "Dansk Folkeparti foreslog …", "is looking
    into whether …"): no answer to what was decided or done."""
    return bool(_CONSIDERED.search(text))


def states_time(text: str) -> bool:
    """Whether a sentence says when: a year, a month, a date, a weekday, a season, a span of time."""
    return bool(_WHEN.search(text) or DATE.search(text))


def states_point_in_time(text: str) -> bool:
    """Whether a sentence says from when: a year, a month, a date, a season (not a time of day)."""
    return bool(_POINT.search(text))


def states_name(text: str) -> bool:
    """Whether a sentence names a person: two capitalised words in a row ("Lene Bjerregaard", "Anne B.
    Holm"), as a question for who holds a post needs."""
    return bool(_NAME.search(text))


def states_money(text: str) -> bool:
    """Whether a sentence states a sum of money: a figure with a currency."""
    return states_figure(text) and bool(_MONEY.search(text))
