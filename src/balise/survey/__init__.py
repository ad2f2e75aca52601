"""The staff survey (G2): anonymous campaigns with a public link, the default questionnaire from the
guides' topics (``questionnaire``), campaigns and answers (``service``), results shown from five
people up and the comparison of two campaigns (``results``), the conformity view's facts
(``evidence``) and the demo's example (``demo``). The maturity self-assessment (G5) is ``maturity``."""

from balise.survey.results import THRESHOLD, campaign_results, compare, participation
from balise.survey.service import (
    STATUS_LABELS,
    AlreadyAnswered,
    campaign_by_token,
    close_campaign,
    create_campaign,
    delete_question,
    get_campaign,
    list_campaigns,
    open_campaign,
    questions_of,
    responses_of,
    save_question,
    submit_answers,
)
from balise.survey.tables import MaturityAssessment, SurveyCampaign, SurveyQuestion, SurveyResponse

__all__ = [
    "STATUS_LABELS",
    "THRESHOLD",
    "AlreadyAnswered",
    "MaturityAssessment",
    "SurveyCampaign",
    "SurveyQuestion",
    "SurveyResponse",
    "campaign_by_token",
    "campaign_results",
    "close_campaign",
    "compare",
    "create_campaign",
    "delete_question",
    "get_campaign",
    "list_campaigns",
    "open_campaign",
    "participation",
    "questions_of",
    "responses_of",
    "save_question",
    "submit_answers",
]
