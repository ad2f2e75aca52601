"""Job titles written in the masculine only, on real ROME titles: flagged when nothing in the text is
inclusive about them, left alone when it is (P5, U3)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from balise.i18n import use_locale
from balise.inclusive import TITLES, masculine_titles

ROOT = Path(__file__).resolve().parents[1]
ROME = ROOT.parent / "shared" / "data" / "bias" / "rome_job_titles.csv"


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.masculine, f.feminine) for f in masculine_titles(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Offre d'emploi : Chauffeur de camion", [("Chauffeur", "Chauffeuse")]),
        ("Sous l'autorité du directeur des travaux publics", [("directeur", "directrice")]),
        ("Nous recrutons des conseillers en urbanisme.", [("conseillers", "conseillères")]),
        ("ÉLEVEUR DE BOVINS", [("ÉLEVEUR", "ÉLEVEUSE")]),
        (
            "Technicien en génie civil et ingénieur",
            [("Technicien", "Technicienne"), ("ingénieur", "ingénieure")],
        ),
        ("Chargé de projet en urbanisme", [("Chargé de projet", "Chargée de projet")]),
        ("Poste de chauffeur-livreur", [("chauffeur-livreur", "chauffeuse-livreuse")]),
        ("Animateur de camp de jour (F/H) et moniteur", [("moniteur", "monitrice")]),
    ],
)
def test_a_title_in_the_masculine_only_is_flagged_with_its_feminine(text: str, expected: list) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chauffeur ou chauffeuse de camion",
        "Les chauffeuses et chauffeurs de la municipalité",
        "Chauffeur·euse de camion",
        "Technicien(ne) en génie civil",
        "Agent.e de bureau",
        "Chauffeur-euse de déneigement",
        "Chauffeur de camion (H/F)\nConduire les camions.",
        "Être membre de l'Ordre des ingénieurs du Québec.",
        "Secrétaire, comptable, journaliste, architecte",  # epicene
        "Le comité chargé de la sécurité se réunit.",  # a participle, not « Chargé de projet »
        "Un chef d'équipe et un commis aux comptes",  # epicene in Quebec usage (OQLF)
        "La personne titulaire du poste relève de la direction.",
        "Directrice des loisirs",
        "Le plan directeur d'urbanisme suit le fil conducteur du comité organisateur.",
        "Proposer cinq titres accrocheurs; acheter du lait au dépanneur.",
    ],
)
def test_an_inclusive_or_epicene_text_is_left_alone(text: str) -> None:
    assert masculine_titles(text) == []


def test_each_title_is_reported_once_with_its_count_and_a_french_hint() -> None:
    (finding,) = masculine_titles("Chauffeur de camion\nLe chauffeur conduit; les chauffeurs partent tôt.")
    assert finding.count == 3 and finding.masculine == "Chauffeur"
    with use_locale("fr"):
        assert finding.hint == (
            "Titre au masculin seulement : « Chauffeur » — forme féminine : « Chauffeuse ». "
            "Écrire « Chauffeur ou chauffeuse » ou « Chauffeur (H/F) »."
        )
    with use_locale("en"):
        assert finding.hint.startswith("Title in the masculine only: “Chauffeur”")


def test_the_shipped_list_is_derived_from_rome() -> None:
    """The product carries a compact copy (Licence Ouverte, attributed in its header); this fails when
    the source or the derivation changed without a rebuild (python scripts/job_titles.py)."""
    if not ROME.exists():
        pytest.skip("../shared/data is not next to this checkout")
    sys.path.insert(0, str(ROOT / "scripts"))
    from job_titles import build

    assert TITLES.read_text(encoding="utf-8") == build(ROME)
    assert "France Travail — ROME v4.60" in TITLES.read_text(encoding="utf-8").splitlines()[1]
