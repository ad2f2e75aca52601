"""A campaign's results (G2) and the comparison of two campaigns, with the anonymity threshold.

A group of questions is shown only when at least ``THRESHOLD`` people answered one of its questions:
below it, a few answers could point at a colleague. The profile questions (P7) go further: each of
their choices is counted only from ``THRESHOLD`` people up, so no small group is singled out. Each
chart is pygal's accessible SVG (:mod:`balise.charts`) with a title, a sentence and its data table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from balise.charts import accessible, chart
from balise.formatting import percent
from balise.i18n import gettext_, ngettext_, use_locale
from balise.survey.questionnaire import PREFER_NOT, PROFILE, TEXT, TOPICS
from balise.survey.service import questions_of, responses_of
from balise.survey.tables import SurveyCampaign, SurveyQuestion, SurveyResponse

THRESHOLD = 5
ROW_HEIGHT = 34


@dataclass(frozen=True)
class Bar:
    """One choice: ``count`` is None when hidden (a profile choice fewer than THRESHOLD people gave)."""

    label: str
    count: int | None
    share: str


@dataclass(frozen=True)
class Result:
    question: SurveyQuestion
    answered: int
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    title: str = ""
    summary: str = ""
    svg: str = ""


@dataclass(frozen=True)
class Group:
    topic: str
    label: str
    respondents: int
    shown: bool
    results: list[Result]


def _given(response: SurveyResponse, question: SurveyQuestion) -> list[str]:
    value = response.answers.get(question.id)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _summary(question: SurveyQuestion, answered: int, bars: list[Bar]) -> str:
    counted = [b for b in bars if b.count is not None]
    if not counted:
        return gettext_("{answered} people answered; every choice was given by fewer than {n}.").format(
            answered=answered, n=THRESHOLD
        )
    top = max(counted, key=lambda b: b.count or 0)
    return ngettext_(
        "{answered} person answered; the most frequent answer: “{label}” ({share}).",
        "{answered} people answered; the most frequent answer: “{label}” ({share}).",
        answered,
    ).format(answered=answered, label=top.label, share=top.share)


def _bar_chart(
    key: str, title: str, summary: str, labels: list[str], series: list[tuple[str, list[Any]]]
) -> str:
    drawn = chart(
        "HorizontalBar",
        labels,
        lambda v: percent(v) if isinstance(v, float) else str(v),
        show_legend=len(series) > 1,
    )
    drawn.height = 90 + ROW_HEIGHT * len(labels) * len(series)
    for name, values in series:
        drawn.add(name, values)
    return accessible(drawn.render(is_unicode=True), key, title, summary)


def _result(question: SurveyQuestion, responses: list[SurveyResponse], key: str) -> Result:
    given = [_given(r, question) for r in responses]
    answered = sum(1 for g in given if g)
    if question.kind == TEXT:
        return Result(question, answered, texts=sorted(g[0] for g in given if g))
    counts = {choice: sum(1 for g in given if choice in g) for choice in question.choices}
    hide_small = question.topic == PROFILE
    bars = [
        Bar(
            choice,
            None if hide_small and count < THRESHOLD else count,
            "—" if hide_small and count < THRESHOLD else percent(count / answered if answered else 0.0),
        )
        for choice, count in counts.items()
    ]
    summary = _summary(question, answered, bars)
    shown = [b for b in bars if b.count is not None]
    svg = _bar_chart(
        key,
        question.prompt,
        summary,
        [b.label for b in shown],
        [(gettext_("People"), [b.count for b in shown])],
    )
    return Result(question, answered, bars, title=question.prompt, summary=summary, svg=svg)


def _respondents(questions: list[SurveyQuestion], responses: list[SurveyResponse]) -> int:
    return sum(1 for r in responses if any(_given(r, q) for q in questions))


def groups_of(questions: list[SurveyQuestion], responses: list[SurveyResponse], prefix: str) -> list[Group]:
    """The results by group, in the questionnaire's order; a group under the threshold has none."""
    groups = []
    for topic, label in TOPICS.items():
        mine = [q for q in questions if q.topic == topic]
        if not mine:
            continue
        respondents = _respondents(mine, responses)
        shown = respondents >= THRESHOLD
        results = [_result(q, responses, f"{prefix}-{q.id}") for q in mine] if shown else []
        groups.append(Group(topic, gettext_(label), respondents, shown, results))
    return groups


def campaign_results(session: Session, campaign: SurveyCampaign) -> tuple[int, list[Group]]:
    """The number of answers and the campaign's groups of results."""
    responses = responses_of(session, campaign.id)
    return len(responses), groups_of(questions_of(session, campaign.id), responses, "q")


@dataclass(frozen=True)
class Compared:
    """One question asked in both campaigns: shares per choice, side by side, and its chart."""

    prompt: str
    rows: list[tuple[str, str, str]]
    title: str
    summary: str
    svg: str


@dataclass(frozen=True)
class Comparison:
    before: SurveyCampaign
    after: SurveyCampaign
    compared: list[Compared]
    hidden: list[str]
    """Groups not compared: fewer than THRESHOLD people answered them in one campaign or both."""


def _shares(question: SurveyQuestion, responses: list[SurveyResponse]) -> tuple[int, dict[str, float]]:
    given = [_given(r, question) for r in responses]
    answered = sum(1 for g in given if g)
    return answered, {
        c: (sum(1 for g in given if c in g) / answered if answered else 0.0) for c in question.choices
    }


def compare(session: Session, before: SurveyCampaign, after: SurveyCampaign) -> Comparison:
    """The questions both campaigns asked (matched by their default key, or their wording), shares
    per choice before and after; a group under the threshold in either campaign is not compared."""
    sides = []
    for campaign in (before, after):
        questions = questions_of(session, campaign.id)
        responses = responses_of(session, campaign.id)
        visible = {g.topic for g in groups_of(questions, responses, "x") if g.shown}
        sides.append((questions, responses, visible))
    (q_before, r_before, v_before), (q_after, r_after, v_after) = sides
    after_by = {(q.key or q.prompt): q for q in q_after}
    compared, hidden = [], []
    for question in q_before:
        other = after_by.get(question.key or question.prompt)
        if other is None or question.kind == TEXT or question.kind != other.kind or question.topic == PROFILE:
            continue
        if question.topic not in v_before or other.topic not in v_after:
            label = gettext_(TOPICS.get(question.topic, question.topic))
            if label not in hidden:
                hidden.append(label)
            continue
        n_before, s_before = _shares(question, r_before)
        n_after, s_after = _shares(other, r_after)
        labels = list(dict.fromkeys([*question.choices, *other.choices]))
        rows = [(c, percent(s_before.get(c, 0.0)), percent(s_after.get(c, 0.0))) for c in labels]
        summary = gettext_("{before}: {n_before} people answered; {after}: {n_after}.").format(
            before=before.name, n_before=n_before, after=after.name, n_after=n_after
        )
        svg = _bar_chart(
            f"c-{question.id}",
            question.prompt,
            summary,
            labels,
            [
                (before.name, [s_before.get(c, 0.0) for c in labels]),
                (after.name, [s_after.get(c, 0.0) for c in labels]),
            ],
        )
        compared.append(Compared(question.prompt, rows, question.prompt, summary, svg))
    return Comparison(before, after, compared, hidden)


def participation(session: Session, campaign: SurveyCampaign) -> list[tuple[str, str, int]]:
    """Who took part, by group, where people chose to say (P7): (question, choice, count) for each
    profile choice given by at least THRESHOLD people; « prefer not to say » is left out."""
    responses = responses_of(session, campaign.id)
    undisclosed = {PREFER_NOT, gettext_(PREFER_NOT)}
    with use_locale("fr"):
        undisclosed.add(gettext_(PREFER_NOT))
    found = []
    for question in questions_of(session, campaign.id):
        if question.topic != PROFILE or question.kind == TEXT:
            continue
        for choice in question.choices:
            count = sum(1 for r in responses if choice in _given(r, question))
            if choice not in undisclosed and count >= THRESHOLD:
                found.append((question.prompt, choice, count))
    return found
