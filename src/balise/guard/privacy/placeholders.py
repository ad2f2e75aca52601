"""Typed, numbered placeholders ([PERSONNE_1], [NAS_2]…) that stay the same for a whole conversation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from balise.guard.privacy.labels import PLACEHOLDER_NAMES
from balise.normalisation import normalise

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*)_(\d+)\]")
MIN_KNOWN_LENGTH = 3
_LABEL_OF_NAME = {name: label for label, name in PLACEHOLDER_NAMES.items()}


def _key(label: str, value: str) -> tuple[str, str]:
    """Values equal up to case, spacing and invisible characters are one value: "Jean  Tremblay",
    "jean tremblay" and "Jean\u200b Tremblay" (the key is what :func:`balise.normalisation.normalise`
    reads, which is also the text ``occurrences`` is given)."""
    return label, " ".join(normalise(value).text.split()).casefold()


@dataclass
class PlaceholderMap:
    """Placeholder → original value for one conversation; the same value always gets the same placeholder."""

    values: dict[str, str] = field(default_factory=dict)
    _index: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False)
    _labels: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for placeholder, value in self.values.items():
            self._register(placeholder, value)

    def _register(self, placeholder: str, value: str) -> None:
        match = PLACEHOLDER.fullmatch(placeholder)
        if match and match.group(1) in _LABEL_OF_NAME:
            label = _LABEL_OF_NAME[match.group(1)]
            self.values[placeholder] = value
            self._index.setdefault(_key(label, value), placeholder)
            self._labels[placeholder] = label

    def merge(self, other: PlaceholderMap) -> None:
        """Adds the placeholders of ``other`` that this map does not have yet."""
        for placeholder, value in other.values.items():
            if placeholder not in self.values:
                self._register(placeholder, value)

    def placeholder_for(self, label: str, value: str) -> str:
        key = _key(label, value)
        if key not in self._index:
            name = PLACEHOLDER_NAMES[label]
            number = 1 + sum(1 for known in self._labels.values() if known == label)
            placeholder = f"[{name}_{number}]"
            self.values[placeholder] = value
            self._index[key] = placeholder
            self._labels[placeholder] = label
        return self._index[key]

    def occurrences(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) of every value of the map found again in ``text`` (normalised by the
        caller), up to case and spacing.

        A name the detector found once stays masked in later turns even where the detector misses it
        (lower case, a sentence with little context).
        """
        for (label, key), _placeholder in self._index.items():
            if len(key) < MIN_KNOWN_LENGTH:
                continue
            pattern = r"\s+".join(re.escape(part) for part in key.split())
            for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE):
                yield match.start(), match.end(), label

    def copy(self) -> PlaceholderMap:
        return PlaceholderMap(dict(self.values))

    def to_dict(self) -> dict[str, str]:
        return dict(self.values)

    @classmethod
    def from_dict(cls, values: Mapping[str, str]) -> PlaceholderMap:
        return cls(dict(values))


def restore(text: str, placeholders: PlaceholderMap | Mapping[str, str]) -> str:
    """Puts back the values behind known placeholders only; any other bracketed text is left as it is."""
    values = placeholders.values if isinstance(placeholders, PlaceholderMap) else placeholders
    return PLACEHOLDER.sub(lambda match: values.get(match.group(0), match.group(0)), text)


_OPEN_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*\d*$|\[$")


class StreamRestorer:
    """Restores placeholders in text that arrives in pieces (a model's streamed answer).

    A piece may end inside a placeholder (``[PERS`` then ``ONNE_1]``): the tail that could still
    become one is held back until the next piece completes or breaks it, so a value is always
    restored whole and no partial placeholder is ever shown.
    """

    def __init__(self, placeholders: PlaceholderMap | Mapping[str, str]):
        self.placeholders = placeholders
        self.pending = ""

    def feed(self, piece: str) -> str:
        """The restored text that can be shown now (possibly empty)."""
        text = self.pending + piece
        held = _OPEN_PLACEHOLDER.search(text)
        cut = held.start() if held is not None else len(text)
        text, self.pending = text[:cut], text[cut:]
        return restore(text, self.placeholders)

    def flush(self) -> str:
        """What was held back, once the answer is complete."""
        text, self.pending = self.pending, ""
        return restore(text, self.placeholders)
