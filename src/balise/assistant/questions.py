"""What a request asks, apart from the personal information pasted with it.

Staff paste what residents wrote: « Le citoyen Jean-François Bouchard (NAS 046 454 286, tél. 418
555-0199) demande quelles sont les heures d'ouverture de l'hôtel de ville. » The name, the numbers
and the addresses say nothing about what to look for, and their words and digits pull search and the
extractive reader towards unrelated passages. Search and the reader get the question alone: the
values the privacy guard detects are removed with their labels, and when the text asks its question
indirectly (« demande quelles sont… », « aimerait savoir si… ») or among other sentences, only the
question is kept. A generative model still receives the whole request, masked by the guard.

A name or an address alone is often what the question is about (« la Maison d'Enfants Marie
Caizergues », « le terrain de la rue Croix de Lavit »): it is removed only when the text also carries
an identifier that belongs to a person (a number, an e-mail…) or when it names the writer (« le
citoyen Jean Bouchard »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from balise.guard.privacy import GuardUnavailable, get_guard, load_settings
from balise.guard.privacy.engine import Detection
from balise.guard.privacy.labels import ADDRESS, PERSON
from balise.text import split_sentences

# Labels written before a pasted value: « NAS 046… », « tél. : 418… », « courriel : jf@… ».
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:NAS|n°|no|numéro|num\.|tél\.?|téléphone|tel\.?|cell\.?|cellulaire|courriel|e-mail|email"
    r"|adresse|né|née|le|la|de|du|à|au|M\.|Mme|monsieur|madame|citoyen|citoyenne|résident|résidente)"
    r"\s*(?:de\s+)?[:.]?\s*)+$",
    re.IGNORECASE,
)
# Verbs that introduce an indirect question: what follows is the question itself.
_INDIRECT = re.compile(
    r"\b(?:demande|demandent|aimerait savoir|voudrait savoir|souhaite savoir|veut savoir|désire savoir"
    r"|se demande|s['’]informe(?: de| pour savoir)?|s['’]interroge sur|nous écrit pour savoir"
    r"|cherche à savoir)\s+(?:à savoir\s+)?",
    re.IGNORECASE,
)
# Words that introduce the writer of a pasted message: the name after them is not the question's subject.
_WRITER = re.compile(
    r"\b(?:citoyen|citoyenne|résident|résidente|M\.|Mme|monsieur|madame|de la part de)\s*$", re.IGNORECASE
)
SUBJECT_LABELS = frozenset({PERSON, ADDRESS})
"""What a question may be about rather than who wrote it."""
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:\s]*\)|\[\s*[,;:\s]*\]")


def strip_values(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text without the given spans and the labels written just before them."""
    kept, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        before = text[cursor:start]
        label = _LABEL_BEFORE.search(before[-40:])
        kept.append(before[: len(before) - len(label.group())] if label else before)
        cursor = end
    kept.append(text[cursor:])
    stripped = _EMPTY_BRACKETS.sub(" ", "".join(kept))
    stripped = re.sub(r"\s*([,;])(?:\s*[,;])+", r"\1", stripped)
    return re.sub(r"\s+", " ", stripped).strip(" ,;")


def question_of(text: str, had_personal: bool) -> str:
    """The question a text asks: its sentences ending with « ? », else an indirect question's clause.

    The indirect form is only looked for when personal information was pasted: in a staff member's
    own request « demande » is more often a noun (« la demande de permis »).
    """
    sentences = split_sentences(text)
    asked = [s.text for s in sentences if s.text.rstrip().endswith("?")]
    if asked and len(sentences) > 1:
        return " ".join(asked)
    if had_personal and not asked:
        match = _INDIRECT.search(text)
        if match and len(text) - match.end() > 8:
            clause = text[match.end() :].strip()
            return re.sub(r"^(?:si|s['’])\s*", "", clause, flags=re.IGNORECASE) or text
    return text


def searchable_question(session: Session, tenant_id: str, question: str) -> str:
    """What search and the extractive reader should look for in ``question`` (see the module).

    Detection uses the tenant's privacy settings; when the guard cannot run, the question is used
    as typed (the guard then refuses to send anything to a model anyway).
    """
    try:
        detections = get_guard().detect(question, load_settings(session, tenant_id))
    except GuardUnavailable:
        return question
    return question_without(question, detections)


def question_without(text: str, detections: Sequence[Detection]) -> str:
    """The question ``text`` asks, without the personal information pasted with it (see the module)."""
    pasted = [d for d in detections if _pasted(text, d, detections)]
    if not pasted:
        return question_of(text, had_personal=False)
    stripped = strip_values(text, [(d.start, d.end) for d in pasted])
    return question_of(stripped, had_personal=True) or text


def _pasted(text: str, detection: Detection, detections: Sequence[Detection]) -> bool:
    """Whether a detected value was pasted with the question rather than being what it asks about."""
    if detection.label not in SUBJECT_LABELS:
        return True
    identified = any(d.label not in SUBJECT_LABELS for d in detections)
    return identified or _WRITER.search(text[max(0, detection.start - 30) : detection.start]) is not None
