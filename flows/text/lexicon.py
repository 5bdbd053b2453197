"""The newsroom lexicon: abbreviations, document-code parts, units, names and loanwords, misspellings.

Editors extend content/lexicon.toml without code; ``[station.<station-id>]`` tables override entries for one
commune's station (local names, a local reading of "TT").
"""

from __future__ import annotations

import copy
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flows.errors import UserError
from flows.text.default_lexicon import DEFAULT_LEXICON_TOML

_STRING_TABLES = ("abbreviations", "doc_codes", "units", "words", "misspellings")


class LexiconError(UserError, ValueError):
    """The lexicon data is malformed (bad TOML, or a table of the wrong shape)."""


@dataclass(frozen=True)
class ContextRule:
    """Say ``say`` when the text after (``next``) or before (``prev``) the abbreviation starts/ends with a cue."""

    say: str
    next: tuple[str, ...] = ()
    prev: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContextEntry:
    default: str
    rules: tuple[ContextRule, ...]

    def choose(self, before: str, after: str) -> str:
        """Pick the reading for the text around the abbreviation (both already lower-cased)."""
        for rule in self.rules:
            if any(after.startswith(cue) for cue in rule.next) or any(before.endswith(cue) for cue in rule.prev):
                return rule.say
        return self.default


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _trie(keys: list[str]) -> str:
    """A regex alternation factored by common prefixes: fast to scan, longest key first at each branch."""
    tree: dict[str, Any] = {}
    for key in keys:
        node = tree
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = key

    def build(node: dict[str, Any]) -> str:
        branches = []
        for ch in sorted((c for c in node if c), reverse=True):
            branches.append(re.escape(ch) + build(node[ch]))
        if "" in node:
            # A key that ends in a letter must end the word: "TP" is not the start of "TPHCM".
            branches.append(r"(?!\w)" if re.search(r"\w$", node[""]) else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(tree)


def word_start_ok(match: re.Match[str]) -> bool:
    """True when a key that starts with a letter is not glued to the word before it."""
    start = match.start()
    return start == 0 or not (match.string[start - 1].isalnum() or match.string[start - 1] == "_") \
        or not (match.group(0)[0].isalnum())


class Lexicon:
    """Pronunciation data for :func:`flows.text.spoken_form` and :func:`flows.text.proofread`."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = _validated(data)
        d = self._data
        self.abbreviations: dict[str, str] = dict(d["abbreviations"])
        self.doc_codes: dict[str, str] = dict(d["doc_codes"])
        self.units: dict[str, str] = dict(d["units"])
        self.words: dict[str, str] = {k.lower(): v for k, v in d["words"].items()}
        self.misspellings: dict[str, str] = {k.lower(): v for k, v in d["misspellings"].items()}
        self.allowed_repeats = frozenset(_nfc(x).lower() for x in d["proofread"].get("allowed_repeats", []))
        self.context: dict[str, ContextEntry] = {
            key: ContextEntry(
                default=_nfc(entry.get("default", key)),
                rules=tuple(
                    ContextRule(
                        say=_nfc(rule["say"]),
                        next=tuple(_nfc(c).lower() for c in rule.get("next", [])),
                        prev=tuple(_nfc(c).lower() for c in rule.get("prev", [])),
                    )
                    for rule in entry.get("rules", [])
                ),
            )
            for key, entry in d["context"].items()
        }
        self._stations: dict[str, Any] = dict(d["station"])
        self._station_cache: dict[str, Lexicon] = {}
        # Compiled once per lexicon; spoken_form is called for every story on every run.
        abbrev_keys = list(self.abbreviations) + list(self.context)
        self.abbreviation_re = re.compile(_trie(abbrev_keys)) if abbrev_keys else None
        self.words_re = re.compile(_trie(list(self.words)), re.IGNORECASE) if self.words else None
        # The same keys matched case-sensitively on lower-cased text: several times faster than IGNORECASE.
        self.words_lower_re = re.compile(_trie(list(self.words))) if self.words else None
        self.misspelling_re = (
            re.compile(_trie(list(self.misspellings)), re.IGNORECASE) if self.misspellings else None
        )
        # Not inside a word: "m" is a unit after "100", not the end of "năm".
        # After a digit or a number word: "15.000ha", "5,5 tấn trên ha", "41,8 nghìn ha" (not the "m" of "năm").
        self.unit_re = (
            re.compile(r"(\d ?|(?<!\w)(?:nghìn|ngàn|triệu|tỷ|trăm|chục|trên) )(" + _trie(list(self.units)) + ")")
            if self.units else None
        )
        # "15cm-30cm", "45kg - 50kg": a unit after the first number of a range.
        self.unit_range_re = (
            re.compile(r"(\d)\s?(" + _trie(list(self.units)) + r")\s*[-–—]\s*(?=\d)") if self.units else None
        )

    # Constructors ---------------------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Lexicon:
        """The built-in lexicon (a copy of the core of content/lexicon.toml), parsed once."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls.from_toml(DEFAULT_LEXICON_TOML)
        return _DEFAULT

    @classmethod
    def from_toml(cls, text: str) -> Lexicon:
        """Build a lexicon from the text of a lexicon TOML file (the caller reads the file)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"lexicon TOML is not valid: {exc}") from exc
        return cls(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Lexicon:
        """Build a lexicon from a dict shaped like the TOML file."""
        return cls(data)

    def to_mapping(self) -> dict[str, Any]:
        """The data this lexicon was built from (a deep copy)."""
        return copy.deepcopy(self._data)

    def stations(self) -> list[str]:
        """Station ids that have overrides."""
        return sorted(self._stations)

    def for_station(self, station: str | None) -> Lexicon:
        """This lexicon with the overrides of one station applied; itself if the station has none."""
        if not station or station not in self._stations:
            return self
        cached = self._station_cache.get(station)
        if cached is None:
            cached = Lexicon(_merged(self._data, self._stations[station]))
            self._station_cache[station] = cached
        return cached


_DEFAULT: Lexicon | None = None


def _validated(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise LexiconError("lexicon must be a table")
    out: dict[str, Any] = {}
    for table in _STRING_TABLES:
        raw = data.get(table, {})
        if not isinstance(raw, Mapping):
            raise LexiconError(f"[{table}] must be a table of strings")
        for key, value in raw.items():
            if not isinstance(value, str):
                raise LexiconError(f"[{table}] {key!r} must be a string, not {type(value).__name__}")
        out[table] = {_nfc(k): _nfc(v).lower() if table != "misspellings" else _nfc(v) for k, v in raw.items()}
    context = data.get("context", {})
    if not isinstance(context, Mapping) or not all(isinstance(v, Mapping) for v in context.values()):
        raise LexiconError("[context.<abbreviation>] entries must be tables")
    for key, entry in context.items():
        for rule in entry.get("rules", []):
            if not isinstance(rule, Mapping) or not isinstance(rule.get("say"), str):
                raise LexiconError(f"[context.{key}] every rule needs a 'say' string")
    out["context"] = {_nfc(k): dict(v) for k, v in context.items()}
    proofread = data.get("proofread", {})
    if not isinstance(proofread, Mapping):
        raise LexiconError("[proofread] must be a table")
    out["proofread"] = dict(proofread)
    station = data.get("station", {})
    if not isinstance(station, Mapping) or not all(isinstance(v, Mapping) for v in station.values()):
        raise LexiconError("[station.<station-id>] entries must be tables")
    out["station"] = {k: dict(v) for k, v in station.items()}
    return out


def _merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(dict(base))
    merged["station"] = {}
    for table in (*_STRING_TABLES, "context"):
        if table in override:
            merged[table] = {**merged[table], **override[table]}
    if "proofread" in override:
        repeats = set(merged["proofread"].get("allowed_repeats", []))
        repeats |= set(override["proofread"].get("allowed_repeats", []))
        merged["proofread"] = {**merged["proofread"], **override["proofread"], "allowed_repeats": sorted(repeats)}
    return merged
