"""The authorisation matrix: every route × every role, anonymous, and an API token of each scope.

``REQUIRED`` declares, route by route, who may call it: ``public``, ``operator`` (the monitoring
allow-list), or ``<roles>:<scope>``: the least role (``a|b``: any of them) and the token scope it
needs (``none``: no token ever, only a signed-in browser). The walk checks every answer against it,
in the caller's own municipality and, for routes naming an object, aimed at another municipality's.
A route missing from the table fails the test, so a new route cannot escape it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from balise.db import open_session
from balise.tenancy import Role, create_api_token, has_role
from tests.support.web import Member, csrf_of
from tests.tenancy.isolation import all_parameters

PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
SCOPES = ("read", "ask", "administer")
ROLE_DENIED = "Votre rôle ne donne pas accès"

REQUIRED: dict[str, str] = {
    "GET /openapi.json": "employee:read",
    "GET /docs": "employee:read",
    "GET /api/public/openapi.json": "public",
    "GET /api/public/docs": "public",
    "GET /connexion": "public",
    "POST /connexion": "public",
    "POST /deconnexion": "employee:none",
    "GET /langue/{code}": "public",
    "POST /municipalite": "employee:none",
    "GET /": "employee:read",
    "GET /api/me": "employee:read",
    "GET /compte/jetons": "employee:none",
    "POST /compte/jetons": "employee:none",
    "POST /compte/jetons/{token_id}/revoquer": "employee:none",
    "GET /healthz": "public",
    "GET /readyz": "public",
    "GET /metrics": "operator",
    "GET /connexion/sso/{slug}": "public",
    "GET /sso/retour": "public",
    "GET /sso/parametres": "admin:none",
    "POST /sso/parametres": "admin:none",
    "GET /journal": "privacy_officer:read",
    "GET /admin/travailleurs": "admin:administer",
    "GET /admin/quotas": "admin:administer",
    "POST /admin/quotas": "admin:administer",
    "POST /admin/quotas/{quota_id}/retirer": "admin:administer",
    "GET /gouvernance/consommation": "manager:read",
    "GET /documents": "employee:read",
    "POST /documents": "employee:administer",
    "GET /documents/progression": "employee:read",
    "GET /documents/{document_id}": "employee:read",
    "POST /documents/{document_id}/classification": "employee:administer",
    "POST /documents/{document_id}/reprise": "employee:administer",
    "POST /documents/{document_id}/titre": "employee:administer",
    "GET /documents/{document_id}/suppression": "employee:read",
    "POST /documents/{document_id}/suppression": "employee:administer",
    "GET /assistant": "employee:read",
    "GET /assistant/question": "employee:read",
    "POST /assistant/question/flux": "employee:ask",
    "POST /assistant/question": "employee:ask",
    "GET /assistant/resume": "employee:read",
    "POST /assistant/resume/flux": "employee:ask",
    "POST /assistant/resume": "employee:ask",
    "GET /assistant/redaction": "employee:read",
    "POST /assistant/redaction/flux": "employee:ask",
    "POST /assistant/redaction": "employee:ask",
    "GET /assistant/revision": "employee:read",
    "POST /assistant/revision/flux": "employee:ask",
    "POST /assistant/revision": "employee:ask",
    "GET /assistant/historique": "employee:read",
    "GET /assistant/historique/{conversation_id}": "employee:read",
    "POST /assistant/historique/{conversation_id}/supprimer": "employee:ask",
    "POST /assistant/historique/supprimer": "employee:ask",
    "GET /assistant/modeles": "admin:administer",
    "POST /assistant/modeles": "admin:administer",
    "POST /assistant/conservation": "admin:administer",
    "GET /sources/{chunk_id}": "employee:read",
    "POST /api/assistant/ask": "employee:ask",
    "POST /api/assistant/ask/stream": "employee:ask",
    "POST /api/assistant/summarise": "employee:ask",
    "POST /api/assistant/summarise/stream": "employee:ask",
    "POST /api/assistant/draft": "employee:ask",
    "POST /api/assistant/draft/stream": "employee:ask",
    "POST /api/assistant/revise": "employee:ask",
    "POST /api/assistant/revise/stream": "employee:ask",
    "POST /api/assistant/preview": "employee:ask",
    "GET /v1/models": "employee:ask",
    "POST /v1/chat/completions": "employee:ask",
    "POST /v1/embeddings": "employee:ask",
    "GET /compte/outils": "employee:none",
    "GET /api/assistant/conversations": "employee:read",
    "DELETE /api/assistant/conversations/{conversation_id}": "employee:ask",
    "GET /resultats": "employee:read",
    "GET /resultats/{output_id}": "employee:read",
    "POST /resultats/{output_id}/soumettre": "employee:administer",
    "POST /resultats/{output_id}/texte": "employee:administer",
    "POST /resultats/{output_id}/commentaires": "employee:administer",
    "POST /resultats/{output_id}/temps-gagne": "employee:administer",
    "GET /resultats/{output_id}/export.md": "employee:read",
    "GET /resultats/{output_id}/export.docx": "employee:read",
    "GET /revision": "reviewer:read",
    "GET /revision/{output_id}": "reviewer:read",
    "GET /revision/{output_id}/trace": "reviewer:read",
    "POST /revision/{output_id}/decision": "reviewer:administer",
    "GET /notifications": "employee:read",
    "POST /notifications/lues": "employee:administer",
    "GET /politique": "manager:read",
    "POST /politique/essai": "manager:administer",
    "POST /politique/regles": "admin:administer",
    "POST /politique/regles/{rule_id}/activer": "admin:administer",
    "POST /politique/regles/{rule_id}/supprimer": "admin:administer",
    "GET /politique/export.yaml": "manager:read",
    "POST /politique/import": "admin:administer",
    "POST /politique/mention": "admin:administer",
    "POST /politique/revue": "manager:administer",
    "GET /politique/contestation": "employee:read",
    "POST /politique/contestation": "employee:administer",
    "GET /politique/contestations": "manager:read",
    "POST /politique/contestations/{contest_id}": "manager:administer",
    "GET /confidentialite": "privacy_officer:read",
    "POST /confidentialite": "privacy_officer:administer",
    "POST /confidentialite/essai": "privacy_officer:administer",
    "POST /confidentialite/juridiction": "privacy_officer:administer",
    "GET /modeles": "employee:read",
    "POST /modeles": "admin:administer",
    "POST /modeles/prudence": "admin:administer",
    "GET /modeles/{backend_id}": "admin:administer",
    "POST /modeles/{backend_id}": "admin:administer",
    "POST /modeles/{backend_id}/defaut": "admin:administer",
    "POST /modeles/{backend_id}/test": "admin:administer",
    "GET /modeles/{backend_id}/suppression": "admin:administer",
    "POST /modeles/{backend_id}/suppression": "admin:administer",
    "GET /public/{slug}/assistant": "public",
    "POST /public/{slug}/assistant/consentement": "public",
    "POST /public/{slug}/assistant": "public",
    "POST /public/{slug}/assistant/avis": "public",
    "GET /public/{slug}/assistant/signaler/{exchange_id}": "public",
    "POST /public/{slug}/assistant/signaler/{exchange_id}": "public",
    "GET /public/{slug}/personne": "public",
    "POST /public/{slug}/personne": "public",
    "GET /public/{slug}/suivi/{token}": "public",
    "GET /public/{slug}/sources/{chunk_id}": "public",
    "OPTIONS /api/public/{slug}/{action}": "public",
    "POST /api/public/{slug}/ask": "public",
    "POST /api/public/{slug}/feedback": "public",
    "POST /api/public/{slug}/escalate": "public",
    "GET /api/public/{slug}/config": "public",
    "GET /citoyens": "employee:read",
    "GET /citoyens/demandes/{request_id}": "employee:read",
    "GET /citoyens/demandes/{request_id}/renseignements": "reviewer:read",
    "POST /citoyens/demandes/{request_id}/repondre": "employee:administer",
    "POST /citoyens/demandes/{request_id}/fermer": "employee:administer",
    "GET /citoyens/statistiques": "employee:read",
    "GET /citoyens/publication": "reviewer:read",
    "POST /citoyens/publication/{document_id}": "reviewer:administer",
    "GET /citoyens/parametres": "admin:administer",
    "GET /citoyens/echanges/{exchange_id}/trace": "reviewer|manager:read",
    "POST /citoyens/echanges/{exchange_id}/relancer": "reviewer|manager:administer",
    "GET /reponses-validees": "reviewer:read",
    "GET /reponses-validees/nouvelle": "reviewer:read",
    "POST /reponses-validees/nouvelle": "reviewer:administer",
    "GET /reponses-validees/{answer_id}": "reviewer:read",
    "POST /reponses-validees/{answer_id}": "reviewer:administer",
    "POST /reponses-validees/{answer_id}/revalider": "reviewer:administer",
    "POST /citoyens/parametres": "admin:administer",
    "POST /citoyens/parametres/courriel": "admin:administer",
    "GET /gouvernance/registre": "manager|privacy_officer:read",
    "GET /gouvernance/registre/nouveau": "manager:read",
    "POST /gouvernance/registre/nouveau": "manager:administer",
    "GET /gouvernance/registre/{system_id}": "manager|privacy_officer:read",
    "POST /gouvernance/registre/{system_id}": "manager:administer",
    "POST /gouvernance/registre/{system_id}/roles": "manager:administer",
    "POST /gouvernance/registre/{system_id}/roles/{role_id}/retirer": "manager:administer",
    "GET /gouvernance/registre/{system_id}/evaluation": "manager:read",
    "POST /gouvernance/registre/{system_id}/evaluation": "manager:administer",
    "GET /gouvernance/registre/{system_id}/evaluation/{version}": "manager|privacy_officer:read",
    "GET /gouvernance/registre/{system_id}/adoption": "manager|privacy_officer:read",
    "POST /gouvernance/registre/{system_id}/adoption": "manager:administer",
    "GET /gouvernance/registre/{system_id}/adoption/document": "manager|privacy_officer:read",
    "GET /gouvernance/fournisseurs": "manager|privacy_officer:read",
    "GET /gouvernance/fournisseurs/nouveau": "manager:read",
    "POST /gouvernance/fournisseurs/nouveau": "manager:administer",
    "GET /gouvernance/fournisseurs/{vendor_id}": "manager|privacy_officer:read",
    "POST /gouvernance/fournisseurs/{vendor_id}": "manager:administer",
    "GET /gouvernance/plaintes": "privacy_officer|manager:read",
    "GET /gouvernance/plaintes/{complaint_id}": "privacy_officer|manager:read",
    "POST /gouvernance/plaintes/{complaint_id}": "privacy_officer|manager:administer",
    "POST /gouvernance/plaintes-rappels": "privacy_officer:administer",
    "POST /gouvernance/plaintes-responsable": "admin:administer",
    "GET /gouvernance/incidents": "privacy_officer:read",
    "POST /gouvernance/incidents/analyse": "privacy_officer:administer",
    "GET /gouvernance/incidents/nouveau": "privacy_officer:read",
    "POST /gouvernance/incidents/nouveau": "privacy_officer:administer",
    "GET /gouvernance/incidents/{incident_id}": "privacy_officer:read",
    "POST /gouvernance/incidents/{incident_id}": "privacy_officer:administer",
    "GET /gouvernance/conformite": "manager|privacy_officer:read",
    "GET /gouvernance/traitements": "manager|privacy_officer:read",
    "POST /gouvernance/traitements/preremplir": "manager|privacy_officer:administer",
    "GET /gouvernance/traitements/export": "manager|privacy_officer:read",
    "GET /gouvernance/traitements/nouveau": "manager|privacy_officer:read",
    "POST /gouvernance/traitements/nouveau": "manager|privacy_officer:administer",
    "GET /gouvernance/traitements/{activity_id}": "manager|privacy_officer:read",
    "POST /gouvernance/traitements/{activity_id}": "manager|privacy_officer:administer",
    "GET /gouvernance/registre/{system_id}/aipd": "manager|privacy_officer:read",
    "POST /gouvernance/registre/{system_id}/aipd": "manager|privacy_officer:administer",
    "GET /gouvernance/memento": "manager|privacy_officer:read",
    "POST /gouvernance/memento/generer": "manager:administer",
    "GET /gouvernance/memento/{version_id}": "manager|privacy_officer:read",
    "POST /gouvernance/memento/{version_id}": "manager:administer",
    "POST /gouvernance/memento/{version_id}/adopter": "manager:administer",
    "GET /gouvernance/memento/{version_id}/export": "manager|privacy_officer:read",
    "GET /gouvernance/mutualisation": "manager:read",
    "POST /gouvernance/mutualisation/exporter": "manager:administer",
    "POST /gouvernance/mutualisation/publier": "manager:administer",
    "POST /gouvernance/mutualisation/importer": "manager:administer",
    "GET /gouvernance/mutualisation/imports/{import_id}": "manager:read",
    "POST /gouvernance/mutualisation/bibliotheque/{pack_id}/importer": "manager:administer",
    "POST /gouvernance/mutualisation/bibliotheque/{pack_id}/retirer": "manager:administer",
    "POST /gouvernance/mutualisation/cas-d-usage": "manager:administer",
    "POST /gouvernance/mutualisation/cas-d-usage/{card_id}/retirer": "manager:administer",
    "GET /memento": "employee:read",
    "POST /memento/prise-de-connaissance": "employee:administer",
    "GET /gouvernance/formations": "manager|privacy_officer:read",
    "POST /gouvernance/formations": "manager:administer",
    "POST /gouvernance/formation-avant-assistant": "manager:administer",
    "GET /gouvernance/formations/{training_session_id}": "manager|privacy_officer:read",
    "POST /gouvernance/formations/{training_session_id}": "manager:administer",
    "POST /gouvernance/formations/{training_session_id}/supprimer": "manager:administer",
    "GET /formation/quiz": "employee:read",
    "POST /formation/quiz": "employee:administer",
    "GET /formation/quiz/{attempt_id}": "employee:read",
    "GET /formation/ressources": "employee:read",
    "GET /formation/ressources/{resource_key}": "employee:read",
    "POST /formation/ressources/{resource_key}": "manager:administer",
    "GET /gouvernance/biais": "manager:read",
    "GET /enregistrements": "employee:read",
    "POST /enregistrements": "employee:administer",
    "GET /enregistrements/{recording_id}": "employee:read",
    "GET /enregistrements/{recording_id}/audio": "employee:read",
    "GET /images": "employee:read",
    "POST /images": "employee:administer",
    "GET /images/verifier": "employee:read",
    "POST /images/verifier": "employee:administer",
    "GET /images/{image_id}": "employee:read",
    "GET /images/{image_id}/image.png": "employee:read",
    "GET /gouvernance/evaluation": "manager:read",
    "POST /gouvernance/evaluation/jeux": "manager:administer",
    "POST /gouvernance/evaluation/seuils": "manager:administer",
    "GET /gouvernance/evaluation/jeux/{set_id}": "manager:read",
    "POST /gouvernance/evaluation/jeux/{set_id}/questions": "manager:administer",
    "POST /gouvernance/evaluation/jeux/{set_id}/import": "manager:administer",
    "POST /gouvernance/evaluation/jeux/{set_id}/retours": "manager:administer",
    "POST /gouvernance/evaluation/jeux/{set_id}/validees": "manager:administer",
    "POST /gouvernance/evaluation/jeux/{set_id}/lancer": "manager:administer",
    "GET /gouvernance/evaluation/jeux/{set_id}/export": "manager:read",
    "GET /gouvernance/evaluation/resultats/{run_id}": "manager:read",
    "POST /gouvernance/evaluation/resultats/{run_id}/questions/{item_id}/trace": "manager:administer",
    "GET /public/{slug}/transparence": "public",
    "GET /public/{slug}/plainte": "public",
    "POST /public/{slug}/plainte": "public",
    "GET /public/{slug}/plainte/suivi/{token}": "public",
    "GET /gouvernance/feuille-de-route": "manager|privacy_officer:read",
    "POST /gouvernance/feuille-de-route/etapes/{step}": "manager:administer",
    "POST /gouvernance/feuille-de-route/personnes-ressources": "manager:administer",
    "POST /gouvernance/feuille-de-route/personnes-ressources/{person_id}/retirer": "manager:administer",
    "GET /gouvernance/processus": "manager:read",
    "POST /gouvernance/processus": "manager:administer",
    "POST /gouvernance/processus/{process_id}": "manager:administer",
    "POST /gouvernance/processus/{process_id}/retirer": "manager:administer",
    "GET /gouvernance/bilan": "manager:read",
    "POST /gouvernance/bilan": "manager:administer",
    "GET /gouvernance/bilan/export": "manager:read",
    "POST /gouvernance/bilan/communications/{audience}/{operation}": "manager:administer",
    "GET /gouvernance/sondages": "manager:read",
    "POST /gouvernance/sondages": "manager:administer",
    "GET /gouvernance/sondages/comparer": "manager:read",
    "GET /gouvernance/sondages/{campaign_id}": "manager:read",
    "POST /gouvernance/sondages/{campaign_id}/questions": "manager:administer",
    "POST /gouvernance/sondages/{campaign_id}/{state}": "manager:administer",
    "GET /gouvernance/maturite": "manager:read",
    "POST /gouvernance/maturite": "manager:administer",
    "GET /public/{slug}/sondage/{token}": "public",
    "POST /public/{slug}/sondage/{token}": "public",
    "GET /gouvernance/outils-ia": "manager|privacy_officer:read",
    "POST /gouvernance/outils-ia": "manager:administer",
    "POST /gouvernance/outils-ia/suggestions": "manager:administer",
    "POST /gouvernance/outils-ia/cle": "manager:administer",
    "POST /gouvernance/outils-ia/consequences": "manager:administer",
    "GET /gouvernance/outils-ia/liste-de-blocage/{format}": "manager|privacy_officer:read",
    "GET /gouvernance/outils-ia/{service_id}": "manager|privacy_officer:read",
    "POST /gouvernance/outils-ia/{service_id}": "manager:administer",
    "POST /gouvernance/outils-ia/{service_id}/retirer": "manager:administer",
    "GET /public/{slug}/liste-de-blocage/{format}": "public",
}


@dataclass
class Caller:
    name: str
    role: str | None  # None: anonymous
    scope: str | None  # set for an API token (of an administrator)
    client: TestClient
    headers: dict[str, str]


def _allowed(requirement: str, caller: Caller) -> bool:
    if requirement == "public":
        return True
    roles, scope = requirement.split(":")
    if caller.role is None:
        return False
    if caller.scope is not None and caller.scope != scope:
        return False
    return any(has_role(caller.role, Role(role)) for role in roles.split("|"))


def _denied(response: Response, anonymous: bool = False) -> bool:
    """Refused for who the caller is (not signed in, role, token scope), not for what they asked.

    An anonymous change is stopped earlier still, by the CSRF check: it has no session to echo.
    """
    if response.status_code == 401:
        return True
    if response.status_code != 403:
        return False
    if "json" not in response.headers.get("content-type", ""):  # a page of its own (a blocked request)
        return ROLE_DENIED in response.text
    body = response.json()
    error = body.get("error")
    if isinstance(error, dict):  # the OpenAI-compatible door answers OpenAI error objects
        body = {"error": error.get("code"), "message": error.get("message", "")}
    if anonymous and body.get("error") == "csrf":
        return True
    return body.get("error") == "token_scope" or ROLE_DENIED in body.get("message", "")


def _callers(app, engine, make_member, tenant) -> list[Caller]:  # type: ignore[no-untyped-def]
    json_only = {"accept": "application/json"}
    callers = [Caller("anonymous", None, None, TestClient(app), json_only)]
    members: dict[str, Member] = {}
    for role in Role:
        member = members[role.value] = make_member(role.value, tenant=tenant)
        headers = {**json_only, "x-csrf-token": csrf_of(member.client)}
        callers.append(Caller(role.value, role.value, None, member.client, headers))
    admin = members["admin"]
    with open_session(engine) as session:
        for scope in SCOPES:
            token = create_api_token(
                session, session.merge(tenant), session.merge(admin.user), scope, scopes=[scope]
            ).token
            bearer = {**json_only, "authorization": f"Bearer {token}"}
            callers.append(Caller(f"token:{scope}", "admin", scope, TestClient(app), bearer))
        session.commit()
    return callers


def _parameters(engine, member: Member) -> dict[str, str]:  # type: ignore[no-untyped-def]
    factories, neutral = all_parameters()
    with open_session(engine) as session:
        tenant, user = session.merge(member.tenant), session.merge(member.user)
        made = {name: factory(session, tenant, user) for name, factory in factories.items()}
        session.commit()
    return {**neutral, **made}


def test_every_route_answers_as_its_declared_requirement(app, engine, make_member):
    owner = make_member("admin", name="Ville A")
    other = make_member("admin", name="Ville B")
    own, foreign = _parameters(engine, owner), _parameters(engine, other)
    factories, _neutral = all_parameters()
    routes = [r for r in iter_route_contexts(app.routes) if r.methods is not None]  # not static files
    declared = {f"{m} {r.path}" for r in routes for m in (r.methods - {"HEAD"} or r.methods)}
    assert not declared - REQUIRED.keys(), (
        f"declare these routes in REQUIRED: {sorted(declared - REQUIRED.keys())}"
    )
    assert not REQUIRED.keys() - declared, f"gone from the app: {sorted(REQUIRED.keys() - declared)}"
    # Signing out ends the caller's session: walked last.
    routes.sort(key=lambda r: r.path == "/deconnexion")

    wrong: list[str] = []
    walked = 0
    for caller in _callers(app, engine, make_member, owner.tenant):
        for route in routes:
            names = PATH_PARAM.findall(route.path)
            targets = [("own", own)] + ([("other", foreign)] if set(names) & factories.keys() else [])
            for method in sorted(route.methods - {"HEAD"} or route.methods):
                requirement = REQUIRED[f"{method} {route.path}"]
                for where, params in targets:
                    path = PATH_PARAM.sub(lambda m, p=params: p[m.group(1)], route.path)
                    data = {"name": "essai", "slug": owner.tenant.slug} if method != "GET" else None
                    response = caller.client.request(
                        method, path, data=data, headers=caller.headers, follow_redirects=False
                    )
                    walked += 1
                    status = response.status_code
                    if requirement == "operator":
                        ok = status == 403
                    elif not _allowed(requirement, caller):
                        ok = _denied(response, anonymous=caller.role is None)
                    elif where == "own":
                        ok = not _denied(response)
                    else:  # another municipality's object: never served, whoever asks
                        ok = _denied(response) or not 200 <= status < 300
                    if not ok:
                        wrong.append(f"{caller.name} {method} {path} ({where}, {requirement}): {status}")
    assert walked > 1000
    assert not wrong, "answers that break the declared requirement:\n" + "\n".join(wrong)
