"""The bias probes against a model server on loopback whose answers the test controls: a planted gender
gap is flagged, a fair model is not; the runs are stored, audited and read back (P5, P7)."""

from __future__ import annotations

import csv
import json
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.audit.models import AuditEntry
from balise.cli import app
from balise.db import tenant_session
from balise.evaluation.bias import BiasRun, run_probes, shown_runs
from balise.evaluation.bias.model import ProbeModel
from balise.evaluation.bias.names import COMPARISONS, MEN
from balise.evaluation.bias.probes import TITLE_BRIEFS
from balise.evaluation.bias.stats import binomial_p, cohen_d, holm, sign_flip_p, wilson
from balise.gateway import ModelUsage
from balise.i18n import use_locale
from balise.tenancy import Tenant
from tests.support.openai_server import OpenAIServer

CROWS = Path(__file__).resolve().parents[3] / "shared" / "data" / "bias" / "crows_pairs_fr.csv"
ROMAN = re.compile(r"[^\W\d_]+")
Responder = Callable[[dict[str, Any]], str]


def _asked(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def _options(body: dict[str, Any]) -> tuple[str, str]:
    """The two sentences of a CrowS-Pairs question."""
    found = re.search(r"\nA : (.*)\nB : (.*)\n", _asked(body))
    assert found is not None
    return found.group(1), found.group(2)


def planted_gap(body: dict[str, Any]) -> str:
    """Long answers full of agentic words for men's names, short communal ones for women's."""
    if set(ROMAN.findall(_asked(body))) & MEN:
        return (
            "Nous recommandons sans réserve cette personne déterminée, autonome et ambitieuse, un leader "
            "rigoureux qui a dirigé des projets exigeants avec efficacité et un esprit d'initiative rare."
        )
    return "Une personne chaleureuse, attentionnée et à l'écoute."


def fair(body: dict[str, Any]) -> str:
    """The same answer whoever is named."""
    return "Voici le texte demandé pour le service des loisirs, rédigé avec soin et sans détour."


TEXTS = (
    "Texte bref et courtois.",
    "Un texte plus long, qui décrit les tâches, les exigences et les conditions de travail du poste.",
    "Lettre détaillée : la personne a mené plusieurs projets, avec une équipe motivée et fiable.",
    "Résumé : un trou dans la chaussée et un lampadaire éteint, à réparer rapidement.",
)


def noisy_fair(body: dict[str, Any]) -> str:
    """Answers that vary from one request to the next, by chance and never by group."""
    return TEXTS[zlib.crc32(_asked(body).encode()) % len(TEXTS)]


@pytest.fixture
def municipality(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def serve(
    municipality: Tenant, use_model: Callable[..., None]
) -> Iterator[Callable[[Responder], OpenAIServer]]:
    """Starts a loopback model answering with a responder, the municipality's default model."""
    servers: list[OpenAIServer] = []

    def start(responder: Responder) -> OpenAIServer:
        server = OpenAIServer(responder=responder).start()
        servers.append(server)
        use_model(municipality, server)
        return server

    yield start
    for server in servers:
        server.stop()


def _probe(engine: Engine, tenant: Tenant, **options: Any) -> list[BiasRun]:
    with tenant_session(tenant.id, engine) as session:
        probed = run_probes(session, session.get(Tenant, tenant.id), actor="test", **options)
        session.commit()
        return probed.runs


def _flagged(run: BiasRun) -> dict[str, set[str]]:
    return {
        c["key"]: {m["metric"] for m in c["measures"] if m["flagged"]} for c in run.figures["comparisons"]
    }


def test_the_statistics_read_as_their_textbook_values() -> None:
    assert sign_flip_p([0.0] * 10) == 1.0
    assert sign_flip_p([3.0] * 12) < 0.001  # every pair one way: 2 chances in 4,096
    assert sign_flip_p([1.0, -1.0] * 6) == 1.0
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert cohen_d(2.0, [[1.0, 3.0], [3.0, 5.0]]) == pytest.approx(2 / 2**0.5)
    assert cohen_d(0.0, [[1.0, 1.0], [1.0, 1.0]]) == 0.0 and cohen_d(4.0, [[1.0], [5.0]]) == 10.0
    low, high = wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-3) and high == pytest.approx(0.5962, abs=1e-3)
    assert binomial_p(5, 10) == 1.0 and binomial_p(10, 10) == pytest.approx(2 / 1024)


def test_a_planted_gender_gap_is_flagged_and_origin_stays_quiet(
    engine: Engine, municipality: Tenant, serve: Callable[[Responder], OpenAIServer]
) -> None:
    server = serve(planted_gap)
    (run,) = _probe(engine, municipality, probes=("counterfactual",), pairs=3)
    flagged = _flagged(run)
    assert {"words", "agency"} <= flagged["gender"] and flagged["origin"] == set()
    assert run.flagged and run.backend == "Modèle local" and run.model == "fake-model"
    gender = run.figures["comparisons"][0]
    words = next(m for m in gender["measures"] if m["metric"] == "words")
    assert words["means"][1] > words["means"][0] and words["p_holm"] < 0.05 and words["effect"] >= 0.5
    assert gender["pairs"] == 9 and len(server.requests) == 36  # 3 requests × 3 pairs × 2 names × 2
    # The invented names reach the model as they are: masked, they would all read alike.
    pair = COMPARISONS[0].pairs[0]
    assert pair[0] in server.received_text() and pair[1] in server.received_text()
    with tenant_session(municipality.id, engine) as session:
        tasks = set(session.scalars(select(ModelUsage.task)))
        entry = session.scalars(
            select(AuditEntry).where(  # the audit log is not tenant-scoped: other tests' runs are there too
                AuditEntry.action == "evaluation.bias_run", AuditEntry.tenant_id == municipality.id
            )
        ).one()
        with use_locale("fr"):
            (shown,) = shown_runs(session)
    assert tasks == {"bias_probe"} and entry.details == {
        "probe": "counterfactual",
        "backend": "Modèle local",
        "flagged": True,
    }
    assert shown.summary.startswith("Noms changés : écarts signalés — Femmes et hommes — Longueur")


@pytest.mark.parametrize("responder", [fair, noisy_fair], ids=["same-answer", "answers-vary-by-chance"])
def test_a_fair_model_is_not_flagged(
    engine: Engine, municipality: Tenant, serve: Callable[[Responder], OpenAIServer], responder: Responder
) -> None:
    serve(responder)
    (run,) = _probe(engine, municipality, probes=("counterfactual",), pairs=4)
    assert not run.flagged and _flagged(run) == {"gender": set(), "origin": set()}


def _ordered_pairs() -> set[tuple[str, str]]:
    """(more stereotyped, less stereotyped) sentence pairs of the data set."""
    with CROWS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {(row["sent_more"].strip(), row["sent_less"].strip()) for row in rows}


@pytest.mark.skipif(not CROWS.is_file(), reason="../shared/data is not beside this checkout")
def test_a_model_that_prefers_stereotypes_is_flagged_and_a_first_option_habit_is_not(
    engine: Engine, make_tenant: Callable[..., Tenant], use_model: Callable[..., None]
) -> None:
    stereotyped_first = _ordered_pairs()

    def prefers_stereotypes(body: dict[str, Any]) -> str:
        return "A" if _options(body) in stereotyped_first else "B"

    results = []
    for responder in (prefers_stereotypes, lambda _body: "Réponse : A"):
        tenant = make_tenant()
        with OpenAIServer(responder=responder) as server:
            use_model(tenant, server)
            (run,) = _probe(engine, tenant, probes=("crows",), pairs=40, crows_path=CROWS)
        results.append(run)
    biased, habit = results
    # Not quite 100 %: a few sentence pairs are in the data set twice, once in each order.
    assert biased.flagged and biased.figures["rate"] >= 0.95 and biased.figures["answered"] == 40
    assert biased.figures["ci"][0] > 0.9 and biased.figures["p"] < 0.001
    assert not habit.flagged and habit.figures["first_option_rate"] == 1.0
    assert 0.3 < habit.figures["rate"] < 0.7  # the order is drawn at random: position is not preference


def posting(inclusive: bool) -> Responder:
    def answer(body: dict[str, Any]) -> str:
        if inclusive:
            return "OFFRE D'EMPLOI\nChauffeur ou chauffeuse de camion\nLa personne titulaire conduit."
        return "OFFRE D'EMPLOI\nChauffeur de camion\nLe chauffeur relève du directeur des travaux publics."

    return answer


@pytest.mark.parametrize("inclusive", [False, True])
def test_drafted_job_postings_are_checked_for_masculine_only_titles(
    engine: Engine, municipality: Tenant, serve: Callable[[Responder], OpenAIServer], inclusive: bool
) -> None:
    server = serve(posting(inclusive))
    (run,) = _probe(engine, municipality, probes=("titles",))
    assert run.figures["subject"] == "model" and run.figures["texts"] == len(TITLE_BRIEFS)
    assert len(server.requests) == len(TITLE_BRIEFS)
    if inclusive:
        assert not run.flagged and run.figures["findings"] == []
    else:
        found = {(f["masculine"], f["feminine"]) for f in run.figures["findings"]}
        assert found == {("Chauffeur", "Chauffeuse"), ("directeur", "directrice")} and run.flagged


def test_without_a_model_the_probes_say_so_and_the_templates_are_checked(
    engine: Engine, municipality: Tenant
) -> None:
    with tenant_session(municipality.id, engine) as session, use_locale("fr"):
        probed = run_probes(session, session.get(Tenant, municipality.id), actor="test")
        session.commit()
    assert [run.probe for run in probed.runs] == ["titles"]
    (run,) = probed.runs
    assert run.figures["subject"] == "templates" and run.figures["texts"] == 5 and not run.flagged
    assert run.backend == "" and probed.backend == ""
    assert probed.notices[0].startswith("Aucun modèle génératif")


def test_the_privacy_guard_stops_any_probe_text_that_is_not_invented(
    engine: Engine, municipality: Tenant, serve: Callable[[Responder], OpenAIServer]
) -> None:
    server = serve(fair)
    invented = COMPARISONS[0].pairs[0][0]
    with tenant_session(municipality.id, engine) as session:
        model = ProbeModel(session, municipality.id)
        sent = model.ask([{"role": "user", "content": f"Lettre pour {invented}."}], (invented,))
        stopped = model.ask(
            [{"role": "user", "content": f"Lettre pour {invented}, joignable au 514 555-0199."}], (invented,)
        )
        session.rollback()
    assert sent == fair({}) and stopped is None
    assert len(server.requests) == 1 and "555-0199" not in server.received_text()


def test_the_command_stores_the_runs_and_prints_its_contract(
    engine: Engine, municipality: Tenant, serve: Callable[[Responder], OpenAIServer]
) -> None:
    env = {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    unknown = runner.invoke(app, ["eval", "bias", "--tenant", municipality.slug, "--probe", "tout"], env=env)
    assert unknown.exit_code == 2 and "Sonde inconnue" in unknown.output
    bare = runner.invoke(app, ["eval", "bias", "--tenant", municipality.slug], env=env)
    assert bare.exit_code == 0 and "Aucun modèle génératif" in bare.output
    serve(planted_gap)
    done = runner.invoke(
        app,
        [
            "eval",
            "bias",
            "--tenant",
            municipality.slug,
            "--probe",
            "counterfactual",
            "--pairs",
            "1",
            "--json",
        ],
        env=env,
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(data) == {"tenant", "backend", "model", "flagged", "notices", "probes"}
    assert data["tenant"] == municipality.slug and data["model"] == "fake-model" and data["notices"] == []
    figures = data["probes"]["counterfactual"]
    assert set(figures) >= {"run_id", "flagged", "comparisons", "pairs_per_request", "requests", "alpha"}
    with tenant_session(municipality.id, engine) as session:
        stored = session.get(BiasRun, figures["run_id"])
        assert stored is not None and stored.figures["comparisons"] == figures["comparisons"]
        assert [run.probe for run in session.scalars(select(BiasRun))].count("titles") == 1
