"""The notice a person receives about a decision prepared with AI (Quebec Law 25, A-2.1 s. 65.2).

Section 65.2 asks that the person be told the decision was made with automated processing and, on
request, be told the personal information used, the reasons and principal factors, their right to have
that information corrected, and be given the chance to submit observations to a staff member who can
review the decision. The author fills three fields when submitting; the notice is generated from them in
French and English, and travels with the approved output.
"""

from __future__ import annotations

from dataclasses import dataclass

from balise.errors import Invalid
from balise.i18n import _, use_locale

NOTICE_FIELDS = ("information_used", "main_factors", "contact")
MAX_FIELD_LENGTH = 2000


@dataclass(frozen=True)
class NoticeFields:
    information_used: str
    main_factors: str
    contact: str

    def as_dict(self) -> dict[str, str]:
        return {
            "information_used": self.information_used,
            "main_factors": self.main_factors,
            "contact": self.contact,
        }


def check_notice(information_used: str, main_factors: str, contact: str) -> NoticeFields:
    """All three fields are required: a notice missing one would not meet s. 65.2."""
    fields = NoticeFields(information_used.strip(), main_factors.strip(), contact.strip())
    missing = [name for name, value in fields.as_dict().items() if not value]
    if missing:
        raise Invalid(
            "A decision about a person needs its notice (Law 25, s. 65.2): fill in the information used, "
            "the main factors and the staff member the person can contact."
        )
    if any(len(value) > MAX_FIELD_LENGTH for value in fields.as_dict().values()):
        raise Invalid("Each field of the notice must be under {n} characters.", n=MAX_FIELD_LENGTH)
    return fields


def notice_text(fields: dict[str, str], locale: str) -> str:
    """The notice in ``locale`` (``fr`` or ``en``), one paragraph per element of s. 65.2."""
    with use_locale(locale):
        paragraphs = [
            _(
                "This decision about you was prepared with the help of an artificial intelligence system and "
                "was reviewed and approved by a staff member (Act respecting access to documents held by "
                "public bodies and the protection of personal information, s. 65.2)."
            ),
            _("Personal information used: {value}").format(value=fields.get("information_used", "")),
            _("Reasons and main factors that led to the decision: {value}").format(
                value=fields.get("main_factors", "")
            ),
            _("You have the right to have the personal information used to make this decision corrected."),
            _(
                "You may submit your observations to a staff member who can review the decision: {value}"
            ).format(value=fields.get("contact", "")),
        ]
    return "\n\n".join(paragraphs)


def notice_title(locale: str) -> str:
    with use_locale(locale):
        return _("Notice about a decision made with the help of AI")
