"""The questions residents ask most that no validated answer covers yet, for staff to answer once.

Read from the kept exchanges (masked text only, within the retention period); questions the citizen
scope sends to a person (own file, emergency, another government…) are left out: a validated answer
cannot serve them. Questions are grouped by their words (case, accents and punctuation aside).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.answers import closest
from balise.citizen.approvals import approved_document_ids
from balise.citizen.models import CitizenExchange
from balise.citizen.service import UNKEPT
from balise.db import utcnow

COVERABLE = ("", "caution", "no_answer")
"""Exchange reasons a validated answer could have served: answered, answered with caution, no answer."""
WINDOW_DAYS = 90
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FrequentQuestion:
    question: str
    count: int
    unanswered: int


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(_WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


def frequent_without_answer(session: Session, *, limit: int = 20) -> list[FrequentQuestion]:
    """The most frequent coverable questions of the last ``WINDOW_DAYS`` days with no validated answer."""
    rows = session.execute(
        select(CitizenExchange.question, CitizenExchange.reason).where(
            CitizenExchange.created_at >= utcnow() - timedelta(days=WINDOW_DAYS),
            CitizenExchange.reason.in_(COVERABLE),
            CitizenExchange.question != UNKEPT,
        )
    )
    groups: dict[str, list[int]] = {}
    shown: dict[str, str] = {}
    for question, reason in rows:
        key = _key(question)
        if not key:
            continue
        shown.setdefault(key, question)
        counts = groups.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += reason == "no_answer"
    approved = approved_document_ids(session)
    found: list[FrequentQuestion] = []
    for key in sorted(groups, key=lambda k: -groups[k][0]):
        match = closest(session, shown[key], document_ids=approved)
        if match is None or not match.served:
            found.append(FrequentQuestion(shown[key], *groups[key]))
        if len(found) == limit:
            break
    return found
