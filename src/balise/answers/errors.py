"""Errors a person can cause with validated answers, each saying what to do."""

from balise.errors import Invalid, NotFound


class AnswerRefused(Invalid):
    code = "answer_refused"


class AnswerNotFound(NotFound):
    code = "answer_not_found"
