"""What each kind of audit event is called on the audit log page, and the names of its details.

The log stores actions as ``package.event`` for machines; people read « Connexion », « Résultat
approuvé ». ``tests/audit/test_event_labels.py`` reads the source for every action written and fails
when one has no label here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from balise.audit.models import AuditEntry
from balise.i18n import N_, gettext_

EVENT_LABELS: dict[str, str] = {
    "api.chat": N_("Chat through the OpenAI-compatible API"),
    "api.embeddings": N_("Embeddings through the OpenAI-compatible API"),
    "assistant.ask": N_("Question to the documents"),
    "assistant.summarise": N_("Summary"),
    "assistant.draft": N_("Draft"),
    "assistant.revise": N_("Revision"),
    "assistant.conversation_deleted": N_("Conversation deleted"),
    "assistant.history_cleared": N_("History cleared"),
    "assistant.retention_set": N_("History retention changed"),
    "assistant.template_saved": N_("Drafting template saved"),
    "assistant.template_reset": N_("Drafting template reset"),
    "answers.created": N_("Validated answer written"),
    "answers.edited": N_("Validated answer edited"),
    "answers.expired": N_("Validated answer expired"),
    "answers.revalidated": N_("Validated answer validated again"),
    "answers.served": N_("Validated answer given"),
    "answers.suspended": N_("Validated answer suspended (a source changed)"),
    "citizen.asked": N_("Resident's question answered"),
    "citizen.document_approved": N_("Document approved for residents"),
    "citizen.document_refused": N_("Document refused for residents"),
    "citizen.escalation": N_("Resident asked for a person"),
    "citizen.feedback": N_("Resident's feedback"),
    "citizen.not_useful": N_("Resident found an answer not useful"),
    "citizen.problem": N_("Resident reported a problem"),
    "citizen.purged": N_("Residents' transcripts deleted"),
    "citizen.request_answered": N_("Resident's request answered"),
    "citizen.request_closed": N_("Resident's request closed"),
    "citizen.request_details_viewed": N_("Resident's details read by staff"),
    "citizen.settings_changed": N_("Public assistant settings changed"),
    "document.submitted": N_("Document added"),
    "document.refused": N_("Document refused"),
    "document.ingested": N_("Document processed"),
    "document.failed": N_("Document processing failed"),
    "document.retried": N_("Document processing retried"),
    "document.classified": N_("Document classification changed"),
    "document.renamed": N_("Document title changed"),
    "document.deleted": N_("Document deleted"),
    "evaluation.bias_run": N_("Bias probe run"),
    "evaluation.items_added": N_("Questions added to an evaluation set"),
    "evaluation.run": N_("Evaluation run"),
    "evaluation.set_created": N_("Evaluation set created"),
    "evaluation.thresholds_set": N_("Evaluation thresholds changed"),
    "gateway.caution_set": N_("Caution level changed"),
    "governance.assessment_saved": N_("Impact assessment saved"),
    "governance.roadmap_step": N_("Roadmap step updated"),
    "pilot.process_added": N_("Pilot process mapped"),
    "pilot.process_saved": N_("Pilot process updated (redesign, time after)"),
    "pilot.process_removed": N_("Pilot process removed"),
    "pilot.review_saved": N_("Interim review saved"),
    "pilot.communication_saved": N_("Communication of the interim review written"),
    "pilot.communication_approved": N_("Communication of the interim review approved"),
    "pilot.communication_published": N_("Communication of the interim review published"),
    "governance.resource_person_added": N_("Resource person named"),
    "governance.resource_person_removed": N_("Resource person removed"),
    "governance.complaint_received": N_("Complaint received"),
    "governance.complaint_assigned": N_("Complaint assigned"),
    "governance.complaint_note": N_("Internal note on a complaint"),
    "governance.complaint_reply": N_("Reply to a complaint"),
    "governance.complaint_status": N_("Complaint status changed"),
    "governance.complaint_reminded": N_("Complaint reminder sent"),
    "governance.ai_service_created": N_("AI service added to the sanctioned or forbidden list"),
    "governance.ai_service_updated": N_("AI service of the lists updated"),
    "governance.ai_service_removed": N_("AI service removed from the lists"),
    "governance.blocklist_key_rotated": N_("Blocklist address key regenerated"),
    "governance.blocklist_published": N_("Blocklist of forbidden AI services handed out"),
    "governance.consequences_set": N_("Consequences of using a forbidden tool set"),
    "governance.incident_created": N_("Incident recorded"),
    "governance.incident_proposed": N_("Incident proposed"),
    "governance.incident_updated": N_("Incident updated"),
    "governance.incident_dismissed": N_("Incident dismissed"),
    "governance.privacy_officer_designated": N_("Privacy officer designated"),
    "governance.role_assigned": N_("Role assigned for an AI system"),
    "governance.role_removed": N_("Role removed for an AI system"),
    "governance.system_created": N_("AI system added to the register"),
    "governance.system_entered": N_("AI system entered in the register"),
    "governance.system_updated": N_("Register entry updated"),
    "governance.system_synced": N_("Register entry synchronised"),
    "governance.system_retired": N_("AI system retired"),
    "governance.system_moved": N_("AI system moved to a new stage"),
    "governance.system_move_refused": N_("AI system's move refused: prerequisites missing"),
    "governance.adoption_saved": N_("Adoption case saved"),
    "governance.processing_saved": N_("Processing activity saved (nLPD register)"),
    "governance.dpia_saved": N_("Data-protection impact assessment saved (nLPD)"),
    "governance.vendor_created": N_("Vendor assessment created"),
    "governance.vendor_updated": N_("Vendor assessment updated"),
    "guard.unavailable": N_("Privacy guard unavailable: request stopped"),
    "maturity.assessed": N_("Maturity self-assessment saved"),
    "media.certificate_created": N_("Image signing certificate created"),
    "media.image_generated": N_("Image generated"),
    "media.image_refused": N_("Image request refused"),
    "media.recording_failed": N_("Recording transcription failed"),
    "media.recording_submitted": N_("Recording sent for transcription"),
    "media.recording_transcribed": N_("Recording transcribed into the library"),
    "memento.acknowledged": N_("Memento acknowledged"),
    "pooling.card_published": N_("Use-case card published"),
    "pooling.card_withdrawn": N_("Use-case card withdrawn"),
    "pooling.imported": N_("Pack imported from another municipality"),
    "pooling.published": N_("Pack published in the shared library"),
    "pooling.withdrawn": N_("Pack withdrawn from the shared library"),
    "memento.adopted": N_("Memento adopted"),
    "memento.generated": N_("Memento generated from the settings"),
    "memento.imported": N_("Memento text imported from a pack as a draft version"),
    "memento.saved": N_("Memento edited into a new version"),
    "training.session_created": N_("Training session recorded"),
    "training.session_updated": N_("Training session changed"),
    "training.session_deleted": N_("Training session deleted"),
    "training.quiz_taken": N_("Self-check quiz taken"),
    "training.gate_set": N_("Assistant tasks after training switched on or off"),
    "training.resources_seeded": N_("Learning resources copied from the shipped texts"),
    "training.resource_edited": N_("Learning resource edited"),
    "model.registered": N_("Model registered"),
    "model.removed": N_("Model removed"),
    "model.default_set": N_("Default model changed"),
    "notifications.read": N_("Notifications read"),
    "policy.decision": N_("Usage policy decision"),
    "policy.saved": N_("Usage policy changed"),
    "policy.contested": N_("Policy decision contested"),
    "policy.contest_resolved": N_("Contest resolved"),
    "privacy.settings_saved": N_("Privacy settings changed"),
    "quota.saved": N_("Quota or budget set"),
    "quota.removed": N_("Quota or budget removed"),
    "privacy.value_in_output": N_("Personal information found in a result"),
    "review.time_saved": N_("Minutes saved reported"),
    "review.saved": N_("Result saved"),
    "review.draft": N_("Result back to draft"),
    "review.submitted": N_("Result submitted for review"),
    "review.commented": N_("Comment on a result"),
    "review.edited": N_("Result edited"),
    "review.approved": N_("Result approved"),
    "review.changes_requested": N_("Changes requested"),
    "review.rejected": N_("Result rejected"),
    "review.exported": N_("Result exported"),
    "review.disclosure_template_changed": N_("AI mention changed"),
    "review.natures_set": N_("Kinds of results needing review changed"),
    "security.cross_tenant_refused": N_("Access to another municipality refused"),
    "sso.configured": N_("Single sign-on configured"),
    "sso.linked": N_("Organisation account linked"),
    "sso.refused": N_("Single sign-on refused"),
    "tenancy.public_contact_changed": N_("Public contact details changed"),
    "tenancy.region_changed": N_("Jurisdiction of the municipality changed"),
    "tenancy.cantonal_law_changed": N_("Cantonal data protection law changed"),
    "tenancy.smtp_set": N_("Mail server changed"),
    "survey.campaign_closed": N_("Staff survey campaign closed"),
    "survey.campaign_created": N_("Staff survey campaign created"),
    "survey.campaign_opened": N_("Staff survey campaign opened"),
    "survey.question_added": N_("Staff survey question added"),
    "survey.question_changed": N_("Staff survey question changed"),
    "survey.question_deleted": N_("Staff survey question deleted"),
    "tenant.created": N_("Municipality created"),
    "tenant.imported": N_("Municipality imported"),
    "token.created": N_("API token created"),
    "token.revoked": N_("API token revoked"),
    "token.revoked_all": N_("All API tokens revoked"),
    "user.granted": N_("Role granted"),
    "user.enabled": N_("Account enabled"),
    "user.disabled": N_("Account disabled"),
    "user.password_reset": N_("Password reset"),
    "user.created_by_sso": N_("Account created by single sign-on"),
    "user.role_from_sso": N_("Role given by single sign-on"),
    "user.signed_in": N_("Signed in"),
    "user.signed_out": N_("Signed out"),
    "user.switched_tenant": N_("Switched municipality"),
    "user.told_of_failed_logins": N_("Told of failed sign-in attempts"),
}

TARGET_LABELS: dict[str, str] = {
    "ai_system": N_("AI system"),
    "processing_activity": N_("Processing activity"),
    "api_token": N_("API token"),
    "bias_run": N_("Bias probe run"),
    "certificate": N_("Signing certificate"),
    "validated_answer": N_("Validated answer"),
    "eval_run": N_("Evaluation run"),
    "eval_set": N_("Evaluation set"),
    "maturity_assessment": N_("Maturity self-assessment"),
    "survey_campaign": N_("Staff survey campaign"),
    "citizen_exchange": N_("Resident's exchange"),
    "citizen_request": N_("Resident's request"),
    "complaint": N_("Complaint"),
    "conversation": N_("Conversation"),
    "document": N_("Document"),
    "draft_template": N_("Drafting template"),
    "image": N_("Image"),
    "incident": N_("Incident"),
    "model_backend": N_("Model"),
    "output": N_("Result"),
    "memento": N_("AI memento"),
    "training_session": N_("Training session"),
    "quiz_attempt": N_("Quiz attempt"),
    "learning_resource": N_("Learning resource"),
    "pack_import": N_("Imported pack"),
    "shared_pack": N_("Shared pack"),
    "use_case_card": N_("Use-case card"),
    "policy": N_("Usage policy"),
    "policy_contest": N_("Contest"),
    "policy_decision": N_("Policy decision"),
    "privacy_settings": N_("Privacy settings"),
    "recording": N_("Recording"),
    "route": N_("Page"),
    "sso_provider": N_("Single sign-on"),
    "sso_subject": N_("Organisation account"),
    "tenant": N_("Municipality"),
    "ai_service": N_("AI service"),
    "ai_service_policy": N_("Rules on AI services"),
    "usage_quota": N_("Quota"),
    "user": N_("Person"),
    "roadmap_step": N_("Roadmap step"),
    "pilot_process": N_("Pilot process"),
    "interim_review": N_("Interim review"),
    "pilot_communication": N_("Communication of the interim review"),
    "resource_person": N_("Resource person"),
    "vendor_assessment": N_("Vendor assessment"),
}


def event_label(action: str) -> str:
    """« Connexion » for ``user.signed_in``; a kind with no label shows as written."""
    label = EVENT_LABELS.get(action)
    return gettext_(label) if label else action


def target_label(target_type: str) -> str:
    label = TARGET_LABELS.get(target_type)
    return gettext_(label) if label else target_type


DETAIL_LABELS: dict[str, str] = {
    "backend": N_("Model"),
    "below": N_("Below the threshold"),
    "failed": N_("Questions failed"),
    "items": N_("Questions"),
    "origin": N_("Origin"),
    "trigger": N_("Started by"),
    "kind": N_("Kind"),
    "masked": N_("Personal information masked"),
    "citations": N_("Sources cited"),
    "to_verify": N_("Passages to verify"),
    "policy": N_("Usage policy"),
    "template": N_("Template"),
    "task": N_("Task"),
    "role": N_("Role"),
    "reason": N_("Reason"),
    "status": N_("Status"),
    "rule_id": N_("Rule"),
    "outcome": N_("Decision"),
    "count": N_("Number"),
    "from": N_("From"),
    "to": N_("To"),
    "user_id": N_("Person"),
    "output_id": N_("Result"),
    "system_id": N_("AI system"),
    "classification": N_("Classification"),
    "title": N_("Title"),
    "format": N_("Format"),
    "method": N_("Method"),
    "version": N_("Version"),
    "shared": N_("From the shared library"),
    "added": N_("Items added"),
    "present": N_("Items already present"),
    "refused": N_("Items refused"),
    "length": N_("Length"),
    "chunks": N_("Passages"),
    "pages": N_("Pages"),
    "ocr_pages": N_("Pages read by OCR"),
    "instruction_passages": N_("Passages with hidden instructions"),
    "size_bytes": N_("Size"),
    "replaces": N_("Replaces a document"),
    "third_party_copyright": N_("Third-party copyright"),
    "reviewer_assigned": N_("Reviewer chosen"),
    "comment_id": N_("Comment"),
    "edited": N_("Edited"),
    "editor": N_("Edited by"),
    "enabled": N_("Enabled"),
    "days": N_("Days"),
    "retention_days": N_("Retention (days)"),
    "model": N_("Model version"),
    "stream": N_("Streamed"),
    "tokens_in": N_("Tokens in"),
    "tokens_out": N_("Tokens out"),
    "wh": N_("Energy (Wh)"),
    "gco2e": N_("Emissions (g CO2e)"),
    "scope": N_("Applies to"),
    "service": N_("Service"),
    "requests_per_minute": N_("Requests per minute"),
    "tokens_per_day": N_("Tokens per day"),
    "money_per_month": N_("Money per month"),
    "currency": N_("Currency"),
    "probe": N_("Probe"),
    "flagged": N_("Gap flagged"),
    "seconds": N_("Length (seconds)"),
    "pieces": N_("Pieces"),
    "captioned": N_("Visible caption"),
    "c2pa": N_("C2PA manifest"),
    "requirement": N_("Requirement"),
    "rule": N_("Rule"),
    "example": N_("Example"),
    "number": N_("Version"),
    "sections": N_("Sections"),
    "adopted_on": N_("Adopted on"),
    "document_id": N_("Document"),
    "code": N_("Error"),
    "domains": N_("Domains"),
    "suggested": N_("From the suggested list"),
    "via": N_("Handed out by"),
    "consequences": N_("Consequences"),
    "consequence": N_("Consequence applied"),
    "audience": N_("Audience"),
    "mandatory": N_("Mandatory"),
    "attended": N_("Present"),
    "score": N_("Score"),
    "total": N_("Questions"),
    "passed": N_("Passed"),
    "key": N_("Resource"),
}
PERSON_TARGETS = frozenset({"user"})
DOCUMENT_TARGETS = frozenset({"document"})


class Shown(NamedTuple):
    """One entry as the audit log page shows it: words and names, never bare ids or JSON."""

    seq: int
    at: datetime
    who: str
    action: str
    target: str
    details: list[tuple[str, str]]


def _value(key: str, value: Any, names: dict[str, str]) -> str:
    from balise.classification import CLASSIFICATION_LABELS
    from balise.formatting import filesize
    from balise.tenancy.roles import ROLE_LABELS  # here: the tenancy package itself writes to the log

    if key == "role" and value in ROLE_LABELS:
        return gettext_(ROLE_LABELS[value])
    if key == "classification" and value in CLASSIFICATION_LABELS:
        return gettext_(CLASSIFICATION_LABELS[value])
    if key == "size_bytes" and isinstance(value, int):
        return filesize(value)
    if isinstance(value, bool):
        return gettext_("Yes") if value else gettext_("No")
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    if key.endswith("_id") or key == "user":  # a name when the reader may see it, else a short reference
        return names.get(str(value), str(value)[:8])
    return str(value)


def detail_label(key: str) -> str:
    """« Passages » for ``chunks``; a detail with no label reads as its words (``ocr_pages``: ocr pages)."""
    return gettext_(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace("_", " ")


def shown(entry: AuditEntry, names: dict[str, str]) -> Shown:
    """``names`` maps the ids the reader may see named (people, documents) to their names."""
    who = names.get(entry.actor) or {"system": gettext_("Balise"), "cli": gettext_("Command line")}.get(
        entry.actor, entry.actor
    )
    target = ""
    if entry.target_type:
        named = names.get(entry.target_id)
        target = f"{target_label(entry.target_type)} : {named or entry.target_id[:8]}"
    details = [
        (
            gettext_(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace("_", " "),
            _value(key, v, names),
        )
        for key, v in (entry.details or {}).items()
    ]
    return Shown(entry.seq, entry.at, who, event_label(entry.action), target, details)


def ids_to_name(entries: list[AuditEntry]) -> tuple[set[str], set[str]]:
    """The people and the documents the entries mention, whose names the page shows."""
    people = {e.actor for e in entries}
    documents: set[str] = set()
    for entry in entries:
        if entry.target_type in PERSON_TARGETS:
            people.add(entry.target_id)
        elif entry.target_type in DOCUMENT_TARGETS:
            documents.add(entry.target_id)
        people |= {str(v) for k, v in (entry.details or {}).items() if k == "user_id" and v}
    return people, documents
