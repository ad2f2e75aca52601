"""Drafting templates: shipped defaults that each municipality may rewrite in its own words (U2, U3, U6).

A template has instructions for the model and a skeleton (the expected structure). Without a generative
model the skeleton itself is the draft, with the request written into its ``{demande}`` slot, so the
person still gets a starting point and nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant.errors import UnknownTemplate
from balise.assistant.models import DraftTemplate
from balise.errors import Invalid
from balise.i18n import N_

SLOT = "{demande}"


@dataclass(frozen=True)
class Template:
    kind: str
    label: str  # English msgid, translated where shown
    instructions: str
    skeleton: str
    customised: bool = False

    def fill(self, brief: str) -> str:
        """The skeleton with the request in its slot: the draft when no model may write one."""
        if SLOT in self.skeleton:
            return self.skeleton.replace(SLOT, brief.strip())
        return f"{self.skeleton.rstrip()}\n\n{brief.strip()}"


DEFAULTS: dict[str, Template] = {
    t.kind: t
    for t in (
        Template(
            "email",
            N_("E-mail"),
            "Courriel professionnel, courtois et bref (moins de 200 mots), vouvoiement, objet explicite. "
            "Termine par une formule de politesse et la signature du service.",
            "Objet : …\n\nBonjour,\n\n{demande}\n\nNous vous prions d'agréer nos salutations distinguées.\n\n"
            "[Nom, titre]\n[Service]",
        ),
        Template(
            "memo",
            N_("Internal memo"),
            "Note de service interne : destinataires, objet, contexte, décision ou information, prochaines "
            "étapes et échéances. Style factuel, phrases courtes.",
            "NOTE DE SERVICE\n\nDestinataires : …\nExpéditeur ou expéditrice : …\nDate : …\nObjet : …\n\n"
            "Contexte\n{demande}\n\nProchaines étapes\n- …",
        ),
        Template(
            "job_posting",
            N_("Job posting and task description"),
            "Offre d'emploi avec description des tâches. Écriture inclusive et épicène (OQLF) : titre du "
            "poste au masculin et au féminin ou formulation neutre (« la personne titulaire du poste »). "
            "Sections : présentation de la municipalité, description des tâches (verbes d'action), "
            "exigences, conditions, modalités pour postuler. Mentionne le programme d'accès à l'égalité en "
            "emploi.",
            "TITRE DU POSTE (forme masculine et féminine)\n\nLa municipalité\n…\n\nDescription des tâches\n"
            "Sous l'autorité de …, la personne titulaire du poste :\n- {demande}\n\nExigences\n- …\n\n"
            "Conditions\n- …\n\nPour postuler\n…\n\nLa municipalité applique un programme d'accès à "
            "l'égalité en emploi et invite toutes les personnes qualifiées à postuler.",
        ),
        Template(
            "press_release",
            N_("Press release"),
            "Communiqué de presse : titre informatif, lieu et date, paragraphe d'amorce qui répond à qui, "
            "quoi, quand, où, pourquoi ; citation d'une personne élue ou responsable ; renseignements pour "
            "les médias. Aucune information absente de la demande.",
            "COMMUNIQUÉ — POUR DIFFUSION IMMÉDIATE\n\nTitre : …\n\n[Lieu], le [date] — {demande}\n\n"
            "« … », déclare …\n\n-30-\n\nRenseignements : [nom], [service], [téléphone]",
        ),
        Template(
            "titles",
            N_("Catchy titles"),
            "Propose cinq titres accrocheurs, courts (moins de 10 mots), exacts et sans jeu de mots "
            "douteux, pour une publication municipale. Un titre par ligne, sans numérotation.",
            "Titres proposés pour : {demande}\n- …\n- …\n- …",
        ),
    )
}


def templates(session: Session, tenant_id: str) -> list[Template]:
    """Every template kind, in the tenant's own version when it has one."""
    custom = {
        row.kind: row
        for row in session.scalars(select(DraftTemplate).where(DraftTemplate.tenant_id == tenant_id))
    }
    result = []
    for kind, default in DEFAULTS.items():
        row = custom.get(kind)
        if row is None:
            result.append(default)
        else:
            result.append(Template(kind, default.label, row.instructions, row.skeleton, customised=True))
    return result


def get_template(session: Session, tenant_id: str, kind: str) -> Template:
    for template in templates(session, tenant_id):
        if template.kind == kind:
            return template
    raise UnknownTemplate(
        "There is no drafting template “{kind}”. Choose one of: {kinds}.",
        kind=kind,
        kinds=", ".join(DEFAULTS),
    )


def save_template(
    session: Session, tenant_id: str, kind: str, *, instructions: str, skeleton: str, actor: str
) -> Template:
    """Stores the tenant's version of a template; empty fields bring back the shipped default."""
    get_template(session, tenant_id, kind)
    row = session.scalars(
        select(DraftTemplate).where(DraftTemplate.tenant_id == tenant_id, DraftTemplate.kind == kind)
    ).first()
    if not instructions.strip() and not skeleton.strip():
        if row is not None:
            session.delete(row)
        action = "assistant.template_reset"
    else:
        if not instructions.strip() or not skeleton.strip():
            raise Invalid("A template needs both instructions and a structure. Fill in both fields.")
        if row is None:
            row = DraftTemplate(tenant_id=tenant_id, kind=kind, instructions="", skeleton="")
            session.add(row)
        row.instructions, row.skeleton, row.updated_by = instructions.strip(), skeleton.strip(), actor
        action = "assistant.template_saved"
    session.flush()
    audit.record(
        session, action, actor=actor, tenant_id=tenant_id, target_type="draft_template", target_id=kind
    )
    return get_template(session, tenant_id, kind)
