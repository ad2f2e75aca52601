"""Visuals for communication (U9): a prompt through the usage policy and the privacy guard, an image
from a registered server approved for it, signed content credentials, kept for its author.

The usage policy reads the prompt as what it is, a request to draw: X2 (an image resembling a real
person) and D4 (someone else's protected work) refuse it, quoting the guide — for an image, a
copyright warning is a refusal, since no one can check the result against the work. Personal
information in a prompt refuses it too: placeholders cannot be drawn, and a real person may not be.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import __version__, audit
from balise.bounds import check_length
from balise.errors import BaliseError, Forbidden, Invalid, NotFound
from balise.gateway import (
    BackendFailure,
    Gateway,
    InvalidBackend,
    ModelBackend,
    attribution_of,
    get_backend,
    kind_of,
    list_backends,
)
from balise.gateway.media_calls import generate_image, record_call, reserve_image
from balise.guard.policy import Decision, evaluate, load_policy
from balise.i18n import gettext_
from balise.media.provenance import CAPTION, as_png, seal_key, self_signed_chain, sign_png, unseal_key
from balise.media.tables import GeneratedImage, SigningCertificate
from balise.tenancy import Tenant

IMAGE_TASK = "image"
PROMPT_MAX_CHARS = 1000
SIZES = ("256x256", "512x512", "1024x1024")


class ImageRefused(Forbidden):
    """The usage policy or the privacy guard refuses the prompt; ``requirement`` names the rule."""

    code = "image_refused"

    def __init__(self, message: str, *, requirement: str = "", explanation: str = "") -> None:
        super().__init__(message, explanation=explanation)
        self.requirement = requirement


class ImageFailed(BaliseError):
    status = 502
    code = "image_failed"


def image_backends(session: Session, tenant_id: str) -> list[ModelBackend]:
    return list_backends(session, tenant_id, "images")


def screen(session: Session, tenant_id: str, prompt: str) -> Decision | None:
    """The policy's refusal of a prompt, or None. The prompt is read alone, then as the request it is
    (« Génère une image : … », so that the rules about making a picture apply); in that framing only
    a rule's explicit wording counts (score 1), not a likeness to its examples, which the framing
    itself would lend to any prompt."""
    policy = load_policy(session, tenant_id)
    for text, least in ((prompt, 0.0), (f"Génère une image : {prompt}", 1.0)):
        decision = evaluate(policy, text)
        refused = decision.outcome == "block" or decision.requirement in ("X2", "D4")
        if refused and decision.score >= least:
            return decision
    return None


def _refuse(session: Session, tenant_id: str, actor: str, requirement: str, rule: str) -> None:
    audit.record(
        session,
        "media.image_refused",
        actor=actor,
        tenant_id=tenant_id,
        target_type="image",
        details={"requirement": requirement, "rule": rule},
    )
    session.commit()  # the refusal stays in the log though the request fails


def certificate(session: Session, tenant: Tenant) -> SigningCertificate:
    """The municipality's signing certificate; a self-signed one is made the first time."""
    found = session.scalars(
        select(SigningCertificate).where(SigningCertificate.tenant_id == tenant.id)
    ).first()
    if found is not None:
        return found
    chain, key = self_signed_chain(tenant.name)
    made = SigningCertificate(
        tenant_id=tenant.id, chain_pem=chain, key_encrypted=seal_key(key), self_signed=True
    )
    session.add(made)
    session.flush()
    audit.record(
        session,
        "media.certificate_created",
        actor="system",
        tenant_id=tenant.id,
        target_type="certificate",
        target_id=made.id,
    )
    return made


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    backend: str
    classification: str = "public"
    caption: bool = True
    size: str = "1024x1024"


def generate(
    session: Session, tenant: Tenant, request: ImageRequest, *, user_id: str | None
) -> GeneratedImage:
    """Screens the prompt, asks the server, labels and signs the image; the caller commits.

    Raises :class:`ImageRefused` (policy, personal information), the gateway's refusal when the server
    may not receive the prompt, :class:`ImageFailed` when it does not answer with an image, and the
    guard's :class:`GuardUnavailable` when the prompt could not be checked (nothing is sent)."""
    from balise.guard.privacy import get_guard, load_settings  # spaCy loads on first use

    prompt = " ".join(request.prompt.split())
    if not prompt:
        raise Invalid("Describe the image you want, then send.")
    check_length(prompt, PROMPT_MAX_CHARS, gettext_("Description"))
    if request.size not in SIZES:
        raise Invalid("Choose one of these sizes: {sizes}.", sizes=", ".join(SIZES))
    actor = user_id or "system"
    decision = screen(session, tenant.id, prompt)
    if decision is not None:
        _refuse(session, tenant.id, actor, decision.requirement, decision.rule_id)
        raise ImageRefused(
            "{explanation}", requirement=decision.requirement, explanation=decision.explanation
        )
    if get_guard().detect(prompt, load_settings(session, tenant.id)):
        _refuse(session, tenant.id, actor, "D3", "personal-information")
        raise ImageRefused(
            "The description holds personal information (a name, an address, a number…), which an image "
            "request may not send. Describe the scene without it.",
            requirement="D3",
        )
    backend = get_backend(session, tenant.id, request.backend)
    if kind_of(backend.provider) != "images":
        raise InvalidBackend("{name} is not an image server. Choose one of the list.", name=backend.name)
    gateway = Gateway(session, tenant.id, attribution=attribution_of(session, tenant.id, user_id, "images"))
    gateway.admit(backend, request.classification, False)
    reservation = reserve_image(gateway, backend, IMAGE_TASK, request.classification)
    started = time.monotonic()
    try:
        drawn = as_png(
            generate_image(backend, prompt, size=request.size), caption=CAPTION if request.caption else None
        )
    except (BackendFailure, ValueError) as failure:
        reason = failure.reason if isinstance(failure, BackendFailure) else "bad_response"
        record_call(
            gateway,
            backend,
            "image",
            IMAGE_TASK,
            request.classification,
            started,
            f"error_{reason}",
            reservation=reservation,
        )
        session.commit()
        raise ImageFailed(
            "The image server {name} did not answer with an image ({reason}). Try again later, or ask an "
            "administrator to check it on the models page.",
            name=backend.name,
            reason=reason,
        ) from failure
    record_call(
        gateway, backend, "image", IMAGE_TASK, request.classification, started, "ok", reservation=reservation
    )
    signing = certificate(session, tenant)
    signed = sign_png(
        drawn, signing.chain_pem, unseal_key(signing.key_encrypted), title="image.png", generator=__version__
    )
    image = GeneratedImage(
        tenant_id=tenant.id,
        prompt=prompt,
        backend=backend.name,
        model=backend.model,
        data=signed,
        captioned=request.caption,
        signer=tenant.name,
        created_by=user_id,
    )
    session.add(image)
    session.flush()
    audit.record(
        session,
        "media.image_generated",
        actor=actor,
        tenant_id=tenant.id,
        target_type="image",
        target_id=image.id,
        details={"backend": backend.name, "captioned": request.caption, "c2pa": True},
    )
    return image


def get_image(session: Session, image_id: str) -> GeneratedImage:
    image = session.get(GeneratedImage, image_id)
    if image is None:
        raise NotFound("This image does not exist or was deleted.")
    return image


def list_images(session: Session, tenant_id: str) -> list[GeneratedImage]:
    statement = select(GeneratedImage).where(GeneratedImage.tenant_id == tenant_id)
    return list(session.scalars(statement.order_by(GeneratedImage.created_at.desc())))
