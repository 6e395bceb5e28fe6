"""The 98 Danish municipalities: which one a document is from, and canonical names for filters.

A document rarely says "this is Gentofte" in a field; it names itself in running text ("Gentofte
Kommunes …", a letterhead) or only through its administrations and committees (København's notes name
"Økonomiforvaltningen" and never the city). OCR garbles exactly those words, so every name is matched on
the skeleton key (`ingest.skeleton`) as a token sequence, which also gives word boundaries for free.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ingest.skeleton import skeleton_tokens

EXPLICIT_WEIGHT = 3  # per "X Kommune"-style mention
MAX_EXPLICIT_COUNTED = 3  # a document repeating its own name must not drown everything else
BODY_WEIGHT = 2  # per distinct administration or committee: lower, they are indirect evidence
HEADER_BONUS = 2  # a letterhead mention is stronger than one in passing
HEADER_CHARS = 600
MIN_SCORE = 5  # one passing mention (3) or two bodies (4) do not decide; a letterhead, two mentions do
_MIN_FUZZY_KEY = 4  # short skeleton keys ("ara" for Ærø) are too unspecific for fuzzy filter values

# Forms that name the municipality itself, built from each name form ("Københavns Kommune", "Jobcenter
# Holbæk", "City of Copenhagen"); generic words such as "Byrådet" alone never identify one.
_MENTION_TEMPLATES = (
    "{} Kommune",
    "{}s Kommune",
    "{} Regionskommune",
    "{}s Regionskommune",
    "{} Kommunalbestyrelse",
    "{} Byråd",
    "{}s Byråd",
    "{} Rådhus",
    "{}s Rådhus",
    "Jobcenter {}",
    "{} Municipality",
    "Municipality of {}",
    "City of {}",
)
_MENTION_WORD = re.compile(r"\b(kommune|regionskommune|municipality|city of)\b", re.IGNORECASE)
_GENITIVE = re.compile(r"s$|s? kommunes?$")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "-": " "})

Key = tuple[str, ...]


@dataclass(frozen=True)
class Municipality:
    """A municipality: canonical Danish short name, other names for it, and bodies unique to it."""

    name: str
    aliases: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Pattern:
    tokens: Key
    municipality: str
    label: str  # the name as written in the gazetteer; distinct bodies are counted by it
    explicit: bool


def _key(text: str) -> Key:
    return tuple(skeleton_tokens(text))


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of a filter value ("KØBENHAVN" -> "koebenhavn")."""
    lowered = text.strip().lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _variants(tokens: Key) -> list[Key]:
    # The genitive ("Gentofte Kommunes", "Socialudvalgets") only adds an "s" to the last word.
    return [tokens, (*tokens[:-1], tokens[-1] + "s")]


def _loses_words(name: str) -> bool:
    # "Alle Kan Bidrage" keys as "kan bidrage" ("alle" collapses to one letter and is dropped), which
    # also matches the everyday "som kan bidrage"; such names are matched on the raw text instead.
    return any(len(word) >= 3 and not _key(word) for word in re.findall(r"\w+", name))


def _raw_pattern(name: str) -> re.Pattern[str]:
    # Case-sensitive on purpose: the capitals are what tells the proper name from the phrase.
    words = (re.escape(word) for word in re.findall(r"\w+", name))
    return re.compile(r"\b" + r"[\s-]+".join(words) + r"\b")


def _name_forms(municipality: Municipality) -> list[str]:
    forms = [municipality.name, *municipality.aliases]
    return [form for form in forms if not _MENTION_WORD.search(form)]


class Gazetteer:
    """Matches municipalities in text; all keys are computed once, in the constructor."""

    def __init__(self, municipalities: Iterable[Municipality]) -> None:
        self.municipalities: tuple[Municipality, ...] = tuple(municipalities)
        owners: dict[Key, set[str]] = defaultdict(set)
        patterns: dict[Key, _Pattern] = {}
        self._raw_bodies: list[tuple[re.Pattern[str], str, str]] = []
        for muni in self.municipalities:
            mentions = [a for a in muni.aliases if _MENTION_WORD.search(a)]
            mentions += [t.format(form) for form in _name_forms(muni) for t in _MENTION_TEMPLATES]
            named = [(m, True) for m in mentions] + [(b, False) for b in muni.bodies]
            for label, explicit in named:
                base = _key(label)
                if not explicit and _loses_words(label):
                    self._raw_bodies.append((_raw_pattern(label), muni.name, label))
                    continue
                if not base:
                    continue
                for tokens in _variants(base):
                    owners[tokens].add(muni.name)
                    patterns.setdefault(tokens, _Pattern(tokens, muni.name, label, explicit))
        # A key two municipalities share identifies neither.
        self._index: dict[str, list[_Pattern]] = defaultdict(list)
        for tokens, pattern in patterns.items():
            if len(owners[tokens]) == 1:
                self._index[tokens[0]].append(pattern)
        for bucket in self._index.values():
            bucket.sort(key=lambda p: -len(p.tokens))  # longest match first
        self._org_keys = {" ".join(tokens) for tokens in patterns}
        self._exact: dict[str, str] = {}
        fuzzy_owners: dict[str, set[str]] = defaultdict(set)
        for muni in self.municipalities:
            values = [muni.name, *muni.aliases, *(f"{f} Kommune" for f in _name_forms(muni))]
            for value in values:
                self._exact.setdefault(_fold(value), muni.name)
                fuzzy_owners[" ".join(_key(value))].add(muni.name)
                self._org_keys.add(" ".join(_key(value)))
        self._fuzzy = {
            key: next(iter(names))
            for key, names in fuzzy_owners.items()
            if len(names) == 1 and len(key) >= _MIN_FUZZY_KEY
        }

    def names(self) -> list[str]:
        """Canonical names of all municipalities, in gazetteer order."""
        return [m.name for m in self.municipalities]

    def normalise(self, value: str) -> str | None:
        """A user's filter value ("Copenhagen", "kobenhavn", "Holbæk Kommune") to its canonical name."""
        folded = _fold(value)
        bare = _GENITIVE.sub("", folded)  # "Københavns", "Gentofte Kommunes"
        for candidate in (folded, bare):
            if candidate in self._exact:
                return self._exact[candidate]
        for candidate in (folded, bare):
            if found := self._fuzzy.get(" ".join(_key(candidate))):
                return found
        return None

    def is_organisation(self, text: str) -> bool:
        """Whether `text` is nothing but a municipality's name or one of its bodies."""
        key = " ".join(_key(text))
        if key and key in self._org_keys:
            return True
        return any(pattern.fullmatch(text.strip()) for pattern, _, _ in self._raw_bodies)

    def scores(self, text: str) -> dict[str, int]:
        """Evidence per municipality: explicit mentions, distinct bodies, and a bonus for the header."""
        tokens = skeleton_tokens(text)
        header_end = len(skeleton_tokens(text[:HEADER_CHARS]))
        mentions: Counter[str] = Counter()
        bodies: dict[str, set[str]] = defaultdict(set)
        in_header: set[str] = set()
        i = 0
        while i < len(tokens):
            match = self._match_at(tokens, i)
            if match is None:
                i += 1
                continue
            if match.explicit:
                mentions[match.municipality] += 1
            else:
                bodies[match.municipality].add(match.label)
            if i < header_end:
                in_header.add(match.municipality)
            i += len(match.tokens)
        for pattern, name, label in self._raw_bodies:
            for found in pattern.finditer(text):
                bodies[name].add(label)
                if found.start() < HEADER_CHARS:
                    in_header.add(name)
        result: dict[str, int] = {}
        for name in set(mentions) | set(bodies):
            score = EXPLICIT_WEIGHT * min(mentions[name], MAX_EXPLICIT_COUNTED)
            score += BODY_WEIGHT * len(bodies[name])
            result[name] = score + (HEADER_BONUS if name in in_header else 0)
        return result

    def find_municipality(self, text: str) -> str | None:
        """The municipality a document is from, or None when the evidence is weak or tied."""
        ranked = sorted(self.scores(text).items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < MIN_SCORE:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]

    def _match_at(self, tokens: list[str], i: int) -> _Pattern | None:
        for pattern in self._index.get(tokens[i], ()):
            n = len(pattern.tokens)
            if tuple(tokens[i : i + n]) == pattern.tokens:
                return pattern
        return None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"gazetteer: expected a list of names, got {value!r}")
    return tuple(str(item) for item in value)


def _parse(data: dict[str, list[dict[str, object]]]) -> list[Municipality]:
    return [
        Municipality(str(e["name"]), _strings(e.get("aliases", [])), _strings(e.get("bodies", [])))
        for e in data["municipalities"]
    ]


@cache
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer (ingest/data/gazetteer.json), built once per process."""
    raw = resources.files("ingest").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    return Gazetteer(_parse(json.loads(raw)))
