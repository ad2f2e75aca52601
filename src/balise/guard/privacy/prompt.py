"""The only form in which text may travel to a model.

The model gateway accepts nothing but a :class:`GuardedPrompt`, and only the privacy guard can
create one: the seal is a keyed digest of the prompt's content, computed with a key drawn when the
process starts and read by nothing outside this package. A prompt that did not pass the guard, or
whose content was changed afterwards (``dataclasses.replace``, ``object.__setattr__``), is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from typing import Literal, TypedDict


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


_KEY = secrets.token_bytes(32)


def _digest(messages: tuple[ChatMessage, ...], counts: dict[str, int], placeholders: dict[str, str]) -> bytes:
    content = json.dumps([list(messages), counts, placeholders], sort_keys=True, ensure_ascii=False)
    return hmac.new(_KEY, content.encode("utf-8"), hashlib.sha256).digest()


@dataclass(frozen=True)
class GuardedPrompt:
    """Messages whose personal information has been replaced by placeholders.

    ``counts`` is how many values of each label were masked; ``placeholders`` maps each placeholder
    to its original value so that the answer can be restored for the authorised user only.
    """

    messages: tuple[ChatMessage, ...]
    counts: dict[str, int]
    placeholders: dict[str, str] = field(repr=False)
    seal: bytes = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.intact:
            raise PermissionError("a GuardedPrompt can only be created by the privacy guard")

    @property
    def intact(self) -> bool:
        """True while the content is exactly what the guard sealed."""
        return isinstance(self.seal, bytes) and hmac.compare_digest(
            self.seal, _digest(tuple(self.messages), self.counts, self.placeholders)
        )

    @property
    def contains_placeholders(self) -> bool:
        return bool(self.placeholders)


def _seal(messages: list[ChatMessage], counts: dict[str, int], placeholders: dict[str, str]) -> GuardedPrompt:
    """Private to the privacy guard: called once every message has been checked and masked."""
    frozen = tuple(ChatMessage(role=m["role"], content=m["content"]) for m in messages)
    return GuardedPrompt(frozen, dict(counts), dict(placeholders), _digest(frozen, counts, placeholders))
