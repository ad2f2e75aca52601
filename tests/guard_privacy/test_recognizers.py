"""Each label is found in realistic French sentences, and look-alikes are left alone."""

from __future__ import annotations

import pytest

from balise.guard.privacy import PrivacyGuard

FOUND = [
    ("PERSON", "La citoyenne Marie-Ève Gagnon a déposé une plainte.", "Marie-Ève Gagnon"),
    ("PERSON", "M. Tremblay conteste le constat.", "Tremblay"),
    ("PERSON", "MM. Azard et Bonnefous se présentent.", "Bonnefous"),
    ("EMAIL", "Écrivez-moi à jean.tremblay@videotron.ca demain.", "jean.tremblay@videotron.ca"),
    ("EMAIL", "Courriel : j.roy [at] bluewin.ch", "j.roy [at] bluewin.ch"),
    ("EMAIL", "mon adresse est marie.cote arobase gmail.com merci", "marie.cote arobase gmail.com"),
    ("PHONE", "Composez le (418) 641-6411 pour joindre le service.", "(418) 641-6411"),
    ("PHONE", "Tél. : +1 819 555 0134", "+1 819 555 0134"),
    ("PHONE", "Natel : 079 123 45 67", "079 123 45 67"),
    ("PHONE", "Appelez le +41 21 315 22 22.", "+41 21 315 22 22"),
    ("ADDRESS", "J'habite au 1234, rue Saint-Denis, app. 5, Montréal.", "1234, rue Saint-Denis, app. 5"),
    ("ADDRESS", "Le bureau est au 45 boulevard René-Lévesque Est.", "45 boulevard René-Lévesque Est"),
    ("ADDRESS", "Domicilié avenue de la Gare 5, 1003 Lausanne.", "avenue de la Gare 5"),
    ("POSTAL_CODE", "Montréal (Québec) H2X 1K4", "H2X 1K4"),
    ("CA_SIN", "Mon NAS est le 130 692 544.", "130 692 544"),
    ("CA_SIN", "numéro d'assurance sociale 130-692-544", "130-692-544"),
    ("CA_RAMQ", "Carte RAMQ : TREJ 7803 1212", "TREJ 7803 1212"),
    ("CA_RAMQ", "assurance maladie GAGM55120112", "GAGM55120112"),
    ("CA_QC_DRIVER_LICENCE", "Permis de conduire T6541-150385-09.", "T6541-150385-09"),
    ("CH_AVS", "Numéro AVS 756.1234.5678.97", "756.1234.5678.97"),
    ("IBAN", "IBAN CH93 0076 2011 6238 5295 7 au nom de la commune", "CH93 0076 2011 6238 5295 7"),
    ("IBAN", "compte FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 189"),
    ("CREDIT_CARD", "Carte 4111 1111 1111 1111, exp. 12/27", "4111 1111 1111 1111"),
    ("CREDIT_CARD", "Mastercard série 2 : 2223 0031 2200 3222", "2223 0031 2200 3222"),
    ("CREDIT_CARD", "Amex 3782 822463 10005", "3782 822463 10005"),
    ("DATE_OF_BIRTH", "Jean Roy, né le 12 mars 1978, demande un permis.", "12 mars 1978"),
    ("DATE_OF_BIRTH", "Date de naissance : 1985-04-12", "1985-04-12"),
    ("DATE_OF_BIRTH", "DDN 03/07/1990", "03/07/1990"),
    ("DATE_OF_BIRTH", "née à Sion le 3.05.1980", "3.05.1980"),
    ("LICENCE_PLATE", "le véhicule immatriculé ABC 123 était mal garé", "ABC 123"),
    ("LICENCE_PLATE", "plaque VD 123 456", "VD 123 456"),
]

NOT_FOUND = [
    "Le conseil adopte le règlement no 2024-123 et la résolution CM-2024-03-145.",
    "Un montant de 1 234 567,89 $ est accordé; le crédit de CHF 12 500.– est voté.",
    "La séance ordinaire du 12 mars 2024 est levée à 21 h.",
    "Le lot 3 456 789 du cadastre du Québec est vendu.",
    "Le numéro 130 692 545 ne passe pas la vérification.",
    "La carte 4111 1111 1111 1112 est refusée.",
    "IBAN CH93 0076 2011 6238 5295 8 (erroné).",
    "AVS 756.1234.5678.98 (erroné).",
    "Hydro-Québec et Desjardins financent le projet à Trois-Rivières et à Lausanne.",
    "Les travaux sur la rue Saint-Denis débuteront au printemps.",
    "Le projet ABC 123 avance bien.",
    "Le dossier 2024-0456 est transmis à la MRC de Memphrémagog.",
]


@pytest.mark.parametrize(("label", "text", "value"), FOUND)
def test_finds_each_label(guard: PrivacyGuard, label: str, text: str, value: str) -> None:
    found = {(text[d.start : d.end], d.label) for d in guard.detect(text)}
    assert (value, label) in found


@pytest.mark.parametrize("text", NOT_FOUND)
def test_leaves_look_alikes_alone(guard: PrivacyGuard, text: str) -> None:
    assert [(text[d.start : d.end], d.label) for d in guard.detect(text)] == []


def test_address_wins_over_a_person_name_inside_it(guard: PrivacyGuard) -> None:
    text = "Elle habite au 850, boulevard Jean-Talon Ouest."
    assert [(text[d.start : d.end], d.label) for d in guard.detect(text)] == [
        ("850, boulevard Jean-Talon Ouest", "ADDRESS")
    ]


def test_a_labelled_sin_is_masked_even_when_its_checksum_fails(guard):
    """Fail closed: « NAS 046 454 286 » is someone's number even if mistyped or a test number."""
    labels = {(d.label, d.start) for d in guard.detect("Son NAS : 046 454 286, à vérifier.")}
    assert ("CA_SIN", 10) in labels
    assert not [
        d for d in guard.detect("Le numéro 046 454 286 ne correspond à aucun NAS.") if d.label == "CA_SIN"
    ]
