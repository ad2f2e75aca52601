"""The self-check quiz (G13): scenarios written from the memento's directives and the usage policy.

Each question is a situation an employee meets, three answers and the reason the right one is right,
shown after answering. Questions and answers are English msgids translated in ``training.po``, so the
quiz reads in the person's language; a question's ``key`` is what an attempt stores, never the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from balise.i18n import N_

PASS_MARK = 0.8
"""The share of right answers that passes: 7 of 8."""


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    """Index of the right option in ``options``."""
    explanation: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "citizen_email",
        N_("May I paste a resident's e-mail into a public AI tool to draft my reply?"),
        (
            N_("Yes, if I delete the e-mail from the tool afterwards."),
            N_("No: I use the municipality's approved tool, which masks personal information."),
            N_("Yes, because the resident wrote to us first."),
        ),
        1,
        N_(
            "A resident's e-mail holds personal information. Public tools may keep or reuse what they "
            "receive; only the tools the municipality approved, which mask personal information, may "
            "read it."
        ),
    ),
    Question(
        "classify",
        N_("A file lists the names and addresses of people owing taxes. How is it classified?"),
        (N_("Public"), N_("Internal"), N_("Confidential")),
        2,
        N_(
            "Personal and financial information about identifiable people is confidential: only tools "
            "and people cleared for confidential data may read it."
        ),
    ),
    Question(
        "label",
        N_("I publish a notice on the website that an AI tool helped me write. What must I do?"),
        (
            N_("Nothing, since I reread it."),
            N_("Keep the mention saying the text was produced with the help of AI."),
            N_("Remove the mention so residents are not worried."),
        ),
        1,
        N_(
            "Text written with AI and shown to the public carries a mention saying so (transparency); "
            "rereading it does not remove that duty."
        ),
    ),
    Question(
        "decision",
        N_("The assistant proposes to refuse a permit request. Can its proposal be sent as is?"),
        (
            N_("Yes, if the assistant cites the by-law."),
            N_("No: a person reviews and takes every decision about a resident."),
            N_("Yes, for simple requests only."),
        ),
        1,
        N_(
            "A decision about a person is never left to a tool: a reviewer checks the proposal, can "
            "change or reject it, and is accountable for the decision."
        ),
    ),
    Question(
        "forbidden",
        N_("A colleague recommends a free AI service that is not on the municipality's list. May I use it?"),
        (
            N_("Yes, for public data only."),
            N_("No: I use the sanctioned tools and ask for the new one to be assessed."),
            N_("Yes, if I use my personal account."),
        ),
        1,
        N_(
            "Only sanctioned tools may be used for work. A new tool is first assessed (data, hosting, "
            "conditions); using an unsanctioned one is an incident with consequences."
        ),
    ),
    Question(
        "verify",
        N_("The assistant gives me a figure with a source. What do I do before using it?"),
        (
            N_("I check the figure in the cited source."),
            N_("Nothing, the source is given."),
            N_("I ask the assistant whether it is sure."),
        ),
        0,
        N_(
            "Generative AI can be wrong with confidence. The person using an answer checks it against "
            "its sources and remains responsible for it."
        ),
    ),
    Question(
        "prompt_secret",
        N_("May I put a password or an access code into a prompt to get help with a script?"),
        (
            N_("Yes, in the approved tool."),
            N_("No: secrets never go into a prompt; I replace them with a placeholder."),
            N_("Yes, if I change the password afterwards."),
        ),
        1,
        N_(
            "Passwords, keys and access codes never go into a prompt, whatever the tool: write a "
            "placeholder such as MOT_DE_PASSE instead."
        ),
    ),
    Question(
        "incident",
        N_("I realise I sent confidential data to an unapproved tool. What do I do?"),
        (
            N_("I delete the conversation and say nothing."),
            N_("I report it at once to the privacy officer so the incident is handled."),
            N_("I wait to see whether anything happens."),
        ),
        1,
        N_(
            "Reporting at once lets the privacy officer assess the risk, notify when the law requires "
            "it and limit the harm; hiding it makes things worse."
        ),
    ),
)


@dataclass(frozen=True)
class Marked:
    """A question as the person answered it: ``chosen`` is ``None`` when left unanswered."""

    question: Question
    chosen: int | None

    @property
    def right(self) -> bool:
        return self.chosen == self.question.answer


def mark(choices: Mapping[str, object]) -> list[Marked]:
    """Each question with the option chosen (an index given as text or number, anything else none)."""
    marked = []
    for question in QUESTIONS:
        raw = str(choices.get(question.key, "")).strip()
        chosen = int(raw) if raw.isdigit() and int(raw) < len(question.options) else None
        marked.append(Marked(question, chosen))
    return marked


def passes(score: int, total: int) -> bool:
    return total > 0 and score / total >= PASS_MARK


def filled_in(wrong: int) -> dict[str, str]:
    """The quiz's form with every question answered, the first ``wrong`` ones wrongly: the demo's
    example attempts (and the tests')."""
    return {
        q.key: str((q.answer + 1) % len(q.options) if i < wrong else q.answer)
        for i, q in enumerate(QUESTIONS)
    }
