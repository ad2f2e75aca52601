"""The usage-policy pages: rules, a test box, YAML import/export, the AI-use mention, and contests.

Administrators edit; managers view the policy and answer contests; anyone who received a block may
contest it. The engine and its storage belong to :mod:`balise.guard.policy`; this module only shows them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from balise import review
from balise.db import Session
from balise.errors import BaliseError, Forbidden, Invalid, NotFound
from balise.guard import policy as usage
from balise.i18n import N_, gettext_
from balise.tenancy import Role, Tenant
from balise.tenancy.people import display_names
from balise.web.deps import Principal, current_principal, require, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/politique", tags=["policy"])
review.register_notification("contest_opened", N_("A blocked request was contested."))
review.register_notification("contest_resolved", N_("A manager answered your contest of a blocked request."))

OUTCOME_LABELS = {"allow": N_("Allowed"), "warn": N_("Warning"), "block": N_("Blocked")}
CONTEST_LABELS = {
    usage.ContestStatus.OPEN.value: N_("Open"),
    usage.ContestStatus.UPHELD.value: N_("Block upheld"),
    usage.ContestStatus.OVERTURNED.value: N_("Block overturned"),
}
FORM_FIELDS = ("outcome", "requirement", "explanation", "keywords", "patterns", "examples")
MAX_YAML_BYTES = 1_000_000
MAX_TEST_CHARS = 4000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _policy_page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    """The policy page; ``extra`` carries a test result, a form to show again, or an error."""
    current = usage.load_policy(db, principal.tenant.id)
    editing = request.query_params.get("regle", "")
    rule_form = extra.pop("rule_form", None)
    if rule_form is None:
        rule = next((r for r in current.rules if r.id == editing), None)
        rule_form = _rule_form(rule) if rule else {}
    built_in = {rule.id for rule in usage.default_policy().rules}
    context = {
        "rules": current.rules,
        "built_in": built_in,
        "outcome_labels": OUTCOME_LABELS,
        "can_edit": principal.has(Role.ADMIN),
        "rule_form": rule_form,
        "mention": review.template_of(principal.tenant),
        "mention_is_default": review.template_of(principal.tenant)
        == review.default_template(principal.tenant.locale),
        "open_contests": len(usage.list_contested(db)),
        "nature_labels": review.NATURE_LABELS,
        "guide_natures": review.GUIDE_NATURES,
        "reviewed": review.reviewed_natures(principal.tenant),
        "notice": request.query_params.get("ok", ""),
        **extra,
    }
    return render(request, "policy/index.html", context, status_code=status_code)


def _rule_form(rule: usage.Rule) -> dict[str, str]:
    return {
        "id": rule.id,
        "outcome": rule.outcome,
        "requirement": rule.requirement,
        "explanation": rule.explanation,
        "keywords": "\n".join(rule.keywords),
        "patterns": "\n".join(rule.patterns),
        "examples": "\n".join(rule.examples),
    }


def _save(db: Session, principal: Principal, new_policy: usage.Policy | str) -> None:
    usage.save_policy(db, principal.tenant.id, new_policy, actor=principal.user.id)
    db.commit()


@router.get("", response_class=HTMLResponse)
def policy_page(
    request: Request,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _policy_page(request, db, principal)


@router.post("/essai", response_class=HTMLResponse)
def test_request(
    request: Request,
    text: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Evaluate a request as the assistant would; the decision is logged (without the text) like any other."""
    if not text.strip():
        raise Invalid("Type a request to test, for example a question an employee might ask.")
    if len(text) > MAX_TEST_CHARS:
        raise Invalid("The request to test is too long: keep it under {n} characters.", n=MAX_TEST_CHARS)
    decision = usage.evaluate(usage.load_policy(db, principal.tenant.id), text)
    logged = usage.record_decision(db, principal.tenant.id, principal.user.id, decision)
    db.commit()
    return _policy_page(request, db, principal, decision=decision, decision_id=logged.id, tested=text)


@router.post("/regles", response_class=HTMLResponse)
def save_rule(
    request: Request,
    rule_id: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    requirement: Annotated[str, Form()] = "",
    explanation: Annotated[str, Form()] = "",
    keywords: Annotated[str, Form()] = "",
    patterns: Annotated[str, Form()] = "",
    examples: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Add a tenant rule, or replace the rule with the same identifier; the whole policy is re-validated."""
    form = {
        "id": rule_id.strip(),
        "outcome": outcome,
        "requirement": requirement.strip(),
        "explanation": explanation.strip(),
        "keywords": keywords,
        "patterns": patterns,
        "examples": examples,
    }
    current = usage.load_policy(db, principal.tenant.id)
    item: dict[str, Any] = {
        "id": form["id"],
        "outcome": outcome,
        "requirement": form["requirement"],
        "explanation": form["explanation"],
    }
    for name in ("keywords", "patterns", "examples"):
        if _lines(form[name]):
            item[name] = _lines(form[name])
    try:
        rule = _checked_rule(item)
        existing = next((r for r in current.rules if r.id == rule.id), None)
        if existing is None:
            rules = (*current.rules, rule)
        else:
            # Fields the form does not show (exceptions, flags, threshold) are kept as they were.
            edited = replace(existing, **{name: getattr(rule, name) for name in FORM_FIELDS})
            rules = tuple(edited if r.id == rule.id else r for r in current.rules)
        _save(db, principal, replace(current, rules=rules))
    except BaliseError as exc:
        db.rollback()
        return _policy_page(
            request, db, principal, rule_error=exc.localized(), rule_form=form, status_code=exc.status
        )
    return RedirectResponse("/politique?ok=rule#regles", status_code=303)


def _checked_rule(item: dict[str, Any]) -> usage.Rule:
    """The rule typed in the form, validated exactly as an imported file, with errors named by field."""
    text = yaml.safe_dump({"version": 1, "rules": [item]}, allow_unicode=True, sort_keys=False)
    try:
        return usage.policy_from_yaml(text).rules[0]
    except usage.PolicyInvalid as exc:
        if "field" not in exc.params:
            raise
        raise Invalid(
            "The rule cannot be saved: field “{field}”: {problem}",
            field=str(exc.params["field"]).removeprefix("rules[0]."),
            problem=exc.params.get("problem", ""),
        ) from exc


def _existing_rule(current: usage.Policy, rule_id: str) -> usage.Rule:
    rule = next((r for r in current.rules if r.id == rule_id), None)
    if rule is None:
        raise NotFound("This rule is not in your municipality's policy. Reload the policy page.")
    return rule


@router.post("/regles/{rule_id}/activer")
def toggle_rule(
    rule_id: str,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """Turn a rule off (or on again) without losing it."""
    current = usage.load_policy(db, principal.tenant.id)
    target = _existing_rule(current, rule_id)
    rules = tuple(replace(r, enabled=not r.enabled) if r.id == target.id else r for r in current.rules)
    _save(db, principal, replace(current, rules=rules))
    return RedirectResponse("/politique?ok=rule#regles", status_code=303)


@router.post("/regles/{rule_id}/supprimer")
def delete_rule(
    rule_id: str,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """Delete a rule the municipality added; built-in rules can only be turned off."""
    current = usage.load_policy(db, principal.tenant.id)
    target = _existing_rule(current, rule_id)
    if target.id in {rule.id for rule in usage.default_policy().rules}:
        raise Forbidden("A built-in rule cannot be deleted; turn it off instead.")
    _save(db, principal, replace(current, rules=tuple(r for r in current.rules if r.id != target.id)))
    return RedirectResponse("/politique?ok=rule#regles", status_code=303)


@router.get("/export.yaml")
def export_yaml(
    principal: Principal = Depends(require(Role.MANAGER)), db: Session = Depends(tenant_db)
) -> Response:
    text = usage.policy_to_yaml(usage.load_policy(db, principal.tenant.id))
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="politique-{principal.tenant.slug}.yaml"'},
    )


@router.post("/import", response_class=HTMLResponse)
async def import_yaml(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Replace the policy with an uploaded YAML file; a file with a problem changes nothing."""
    try:
        if file is None or not file.filename:
            raise Invalid("Choose a YAML policy file to import.")
        data = await file.read(MAX_YAML_BYTES + 1)
        if len(data) > MAX_YAML_BYTES:
            raise Invalid("The policy file is too large: it must be under 1 MB.")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Invalid("The policy file is not UTF-8 text. Save it as UTF-8 and import it again.") from exc
        _save(db, principal, text)
    except BaliseError as exc:
        db.rollback()
        return _policy_page(request, db, principal, import_error=exc.localized(), status_code=exc.status)
    return RedirectResponse("/politique?ok=import", status_code=303)


@router.post("/mention", response_class=HTMLResponse)
def save_mention(
    request: Request,
    template: Annotated[str, Form()] = "",
    restore: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> Response:
    """The municipality's own AI-use mention (D2); empty ``restore`` keeps the typed template."""
    tenant = db.get(Tenant, principal.tenant.id)
    assert tenant is not None
    try:
        review.set_template(db, tenant, None if restore else template, actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _policy_page(
            request,
            db,
            principal,
            mention_error=exc.localized(),
            mention_form=template,
            status_code=exc.status,
        )
    db.commit()
    return RedirectResponse("/politique?ok=mention#mention", status_code=303)


@router.post("/revue", response_class=HTMLResponse)
def save_reviewed_natures(
    request: Request,
    nature: Annotated[list[str] | None, Form()] = None,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Kinds of result that always need review: a manager may add to the guide's, never remove them."""
    tenant = db.get(Tenant, principal.tenant.id)
    assert tenant is not None
    try:
        review.set_reviewed_natures(db, tenant, nature or [], actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _policy_page(request, db, principal, natures_error=exc.localized(), status_code=exc.status)
    db.commit()
    return RedirectResponse("/politique?ok=revue#reviewed-natures", status_code=303)


def _decision_of(db: Session, decision_id: str, principal: Principal) -> usage.PolicyDecision:
    """A decision the signed-in person received; anyone else's is reported as missing."""
    decision = db.get(usage.PolicyDecision, decision_id) if decision_id else None
    if decision is None or decision.user_id != principal.user.id:
        raise NotFound(
            "This decision of the usage policy does not exist or is not yours. "
            "Use the link shown with the block."
        )
    return decision


def _explanation(db: Session, tenant_id: str, rule_id: str) -> str:
    rule = next((r for r in usage.load_policy(db, tenant_id).rules if r.id == rule_id), None)
    return gettext_(rule.explanation) if rule else ""


@router.get("/contestation", response_class=HTMLResponse)
def contest_form(
    request: Request,
    decision: str = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    row = _decision_of(db, decision, principal)
    return _contest_page(request, db, principal, row)


def _contest_page(
    request: Request,
    db: Session,
    principal: Principal,
    row: usage.PolicyDecision,
    *,
    error: str = "",
    reason: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "decision": row,
        "explanation": _explanation(db, principal.tenant.id, row.rule_id),
        "outcome_labels": OUTCOME_LABELS,
        "contest_labels": CONTEST_LABELS,
        "error": error,
        "reason": reason,
    }
    return render(request, "policy/contest.html", context, status_code=status_code)


@router.post("/contestation", response_class=HTMLResponse)
def contest_block(
    request: Request,
    decision_id: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> Response:
    """Record the person's objection and tell the managers, who answer it on the contests page."""
    row = _decision_of(db, decision_id, principal)
    try:
        usage.contest(db, row.id, principal.user.id, reason)
    except BaliseError as exc:
        db.rollback()
        row = _decision_of(db, decision_id, principal)
        return _contest_page(
            request, db, principal, row, error=exc.localized(), reason=reason, status_code=exc.status
        )
    managers = review.members_with(db, principal.tenant.id, Role.MANAGER, excluding=principal.user.id)
    review.notify_people(
        db, principal.tenant.id, [m.id for m in managers], "contest_opened", link="/politique/contestations"
    )
    db.commit()
    return RedirectResponse(f"/politique/contestation?decision={row.id}", status_code=303)


@router.get("/contestations", response_class=HTMLResponse)
def contests_page(
    request: Request,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    contests = usage.list_contested(db, include_resolved=True)
    ids = {c.user_id for c in contests} | {c.resolved_by for c in contests if c.resolved_by}
    names = display_names(db, ids)
    rules = {r.id: r for r in usage.load_policy(db, principal.tenant.id).rules}
    return render(
        request,
        "policy/contests.html",
        {
            "open": [c for c in contests if c.status == usage.ContestStatus.OPEN.value],
            "resolved": [c for c in contests if c.status != usage.ContestStatus.OPEN.value],
            "names": names,
            "rules": rules,
            "contest_labels": CONTEST_LABELS,
        },
    )


@router.post("/contestations/{contest_id}")
def resolve(
    contest_id: str,
    verdict: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """Uphold or overturn a block; the person who contested is notified of the answer."""
    if verdict not in ("uphold", "overturn"):
        raise Invalid("Choose whether the block is upheld or overturned.")
    row = usage.resolve_contest(db, contest_id, principal.user.id, overturn=verdict == "overturn", note=note)
    review.notify_people(
        db,
        principal.tenant.id,
        [row.user_id],
        "contest_resolved",
        link=f"/politique/contestation?decision={row.decision_id}",
    )
    db.commit()
    return RedirectResponse("/politique/contestations#traitees", status_code=303)
