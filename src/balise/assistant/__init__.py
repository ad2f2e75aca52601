"""The staff assistant (U2–U7): ask the documents, summarise, draft and revise, each guarded and cited.

Every task follows the request flow of docs/architecture.md (policy → retrieval → privacy guard → gateway →
restore → citation checks → disclosure), saves its result for review and keeps it in the person's
history for the municipality's retention period.
"""

from balise.assistant.drafting import DEFAULTS, Template, get_template, save_template, templates
from balise.assistant.history import (
    ConversationSummary,
    conversation_title,
    delete_all,
    delete_conversation,
    get_conversation,
    list_conversations,
    purge_expired,
    retention_days,
    set_retention_days,
    turns,
)
from balise.assistant.models import Conversation, DraftTemplate, Turn
from balise.assistant.results import (
    TASKS,
    AnswerPart,
    PolicyNote,
    Readability,
    ShownCitation,
    Task,
    TaskResult,
)
from balise.assistant.sources import SourceView, source_view
from balise.assistant.tasks import (
    AUDIENCES,
    REVISION_MODES,
    Options,
    PromptPreview,
    Requester,
    ask,
    draft,
    preview,
    revise,
    summarise,
)
from balise.text import Segment, word_diff

__all__ = [
    "AUDIENCES",
    "DEFAULTS",
    "REVISION_MODES",
    "TASKS",
    "AnswerPart",
    "Conversation",
    "ConversationSummary",
    "DraftTemplate",
    "Options",
    "PolicyNote",
    "PromptPreview",
    "Readability",
    "Requester",
    "Segment",
    "ShownCitation",
    "SourceView",
    "Task",
    "TaskResult",
    "Template",
    "Turn",
    "ask",
    "conversation_title",
    "delete_all",
    "delete_conversation",
    "draft",
    "get_conversation",
    "get_template",
    "list_conversations",
    "preview",
    "purge_expired",
    "retention_days",
    "revise",
    "save_template",
    "set_retention_days",
    "source_view",
    "summarise",
    "templates",
    "turns",
    "word_diff",
]
