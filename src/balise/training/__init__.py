"""Training (G13, G21): sessions per audience with their attendance (``service``), the self-check quiz
from the memento's directives and the usage policy (``quiz``), the learning resources shipped as
editable pages (``resources``), the conformity view's facts (``evidence``) and the demo's example
(``demo``)."""

from balise.training.quiz import PASS_MARK, QUESTIONS, Marked, Question
from balise.training.resources import SHIPPED, ensure_resources, get_resource, open_resource, save_resource
from balise.training.service import (
    AUDIENCES,
    FORMATS,
    Listed,
    attempts_of,
    delete_session,
    get_attempt,
    get_session,
    people,
    save_session,
    sessions,
    take_quiz,
)
from balise.training.tables import LearningResource, QuizAttempt, TrainingAttendance, TrainingSession

__all__ = [
    "AUDIENCES",
    "FORMATS",
    "PASS_MARK",
    "QUESTIONS",
    "SHIPPED",
    "LearningResource",
    "Listed",
    "Marked",
    "Question",
    "QuizAttempt",
    "TrainingAttendance",
    "TrainingSession",
    "attempts_of",
    "delete_session",
    "ensure_resources",
    "get_attempt",
    "get_resource",
    "get_session",
    "open_resource",
    "people",
    "save_resource",
    "save_session",
    "sessions",
    "take_quiz",
]
