"""The only form in which text may travel to a model.

The model gateway accepts nothing but a :class:`GuardedPrompt`, and only the privacy guard can
create one (it holds the private seal). A prompt that did not pass the guard cannot be sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


_SEAL = object()


@dataclass(frozen=True)
class GuardedPrompt:
    """Messages whose personal information has been replaced by placeholders.

    ``counts`` is how many values of each label were masked; ``placeholders`` maps each placeholder
    to its original value so that the answer can be restored for the authorised user only.
    """

    messages: tuple[ChatMessage, ...]
    counts: dict[str, int]
    placeholders: dict[str, str] = field(repr=False)
    seal: object = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seal is not _SEAL:
            raise PermissionError("a GuardedPrompt can only be created by the privacy guard")

    @property
    def contains_placeholders(self) -> bool:
        return bool(self.placeholders)


def seal_prompt(
    messages: list[ChatMessage], counts: dict[str, int], placeholders: dict[str, str]
) -> GuardedPrompt:
    """Used by the privacy guard once it has checked and masked every message."""
    return GuardedPrompt(tuple(messages), dict(counts), dict(placeholders), _SEAL)
