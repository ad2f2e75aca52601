"""Property: any valid identifier of each structured label, in any of many municipal sentences, never
survives ``protect`` — generated from each identifier's published rules, not from the recognizers."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum import ean, iban, luhn

from balise.guard.privacy import PrivacyGuard

DIGIT = st.sampled_from("0123456789")
LETTER = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.lists(DIGIT, min_size=n, max_size=n).map("".join)


def _grouped(value: str, sizes: tuple[int, ...], separator: str) -> str:
    parts, cursor = [], 0
    for size in sizes:
        parts.append(value[cursor : cursor + size])
        cursor += size
    return separator.join(parts)


@st.composite
def sin(draw: st.DrawFn) -> str:
    body = draw(st.sampled_from("1234567 9".replace(" ", ""))) + draw(_digits(7))
    return _grouped(body + luhn.calc_check_digit(body), (3, 3, 3), draw(st.sampled_from([" ", "-", ""])))


@st.composite
def ramq(draw: st.DrawFn) -> str:
    letters = "".join(draw(st.lists(LETTER, min_size=4, max_size=4)))
    month = draw(st.integers(1, 12)) + draw(st.sampled_from([0, 50]))
    value = f"{letters}{draw(_digits(2))}{month:02d}{draw(st.integers(1, 28)):02d}{draw(_digits(2))}"
    return _grouped(value, (4, 4, 4), draw(st.sampled_from([" ", ""])))


@st.composite
def driver_licence(draw: st.DrawFn) -> str:
    value = draw(LETTER) + draw(_digits(12))
    return _grouped(value, (5, 6, 2), draw(st.sampled_from(["-", " ", ""])))


@st.composite
def avs(draw: st.DrawFn) -> str:
    body = "756" + draw(_digits(9))
    return _grouped(body + ean.calc_check_digit(body), (3, 4, 4, 2), draw(st.sampled_from([".", " ", ""])))


@st.composite
def iban_number(draw: st.DrawFn) -> str:
    country, length = draw(st.sampled_from([("CH", 17), ("FR", 23), ("DE", 18), ("BE", 12), ("LI", 17)]))
    bban = draw(_digits(length))
    value = f"{country}{iban.calc_check_digits(country + '00' + bban)}{bban}"
    assume(iban.is_valid(value))
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if draw(st.booleans()) else value


@st.composite
def card(draw: st.DrawFn) -> str:
    prefix, length = draw(
        st.sampled_from([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15)])
    )
    body = prefix + draw(_digits(length - len(prefix) - 1))
    value = body + luhn.calc_check_digit(body)
    if length == 16 and draw(st.booleans()):
        return _grouped(value, (4, 4, 4, 4), draw(st.sampled_from([" ", "-"])))
    return value


@st.composite
def phone(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        area, exchange, line = (
            draw(st.sampled_from(["418", "450", "514", "819", "581"])),
            draw(_digits(3)),
            draw(_digits(4)),
        )
        text = draw(
            st.sampled_from(
                [
                    f"{area} {exchange}-{line}",
                    f"({area}) {exchange}-{line}",
                    f"+1 {area}-{exchange}-{line}",
                    f"{area}.{exchange}.{line}",
                ]
            )
        )
        region = "CA"
    else:
        prefix, rest = (
            draw(st.sampled_from(["021", "022", "024", "027", "032", "076", "078", "079"])),
            draw(_digits(7)),
        )
        a, b, c = rest[:3], rest[3:5], rest[5:]
        text = draw(
            st.sampled_from(
                [
                    f"{prefix} {a} {b} {c}",
                    f"{prefix}/{a} {b} {c}",
                    f"+41 {prefix[1:]} {a} {b} {c}",
                    f"+41 (0){prefix[1:]} {a} {b} {c}",
                ]
            )
        )
        region = "CH"
    assume(phonenumbers.is_valid_number(phonenumbers.parse(text.replace("/", " "), region)))
    return text


@st.composite
def email(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z][a-z0-9]{0,10}(?:[._-][a-z0-9]{1,8})?", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z][a-z0-9-]{1,12}[a-z0-9]", fullmatch=True))
    return f"{local}@{domain}.{draw(st.sampled_from(['ca', 'ch', 'com', 'org', 'qc.ca']))}"


@st.composite
def ca_postal(draw: st.DrawFn) -> str:
    first, other = "ABCEGHJKLMNPRSTVXY", "ABCEGHJKLMNPRSTVWXYZ"
    value = draw(st.sampled_from(first)) + draw(DIGIT) + draw(st.sampled_from(other))
    value += draw(st.sampled_from([" ", ""])) + draw(DIGIT) + draw(st.sampled_from(other)) + draw(DIGIT)
    return value


@st.composite
def birth_date(draw: st.DrawFn) -> str:
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(1920, 2020))
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    return draw(
        st.sampled_from(
            [
                f"{day} {months[month - 1]} {year}",
                f"{day:02d}/{month:02d}/{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{day:02d}.{month:02d}.{year}",
            ]
        )
    )


@st.composite
def plate(draw: st.DrawFn) -> str:
    letters = "".join(draw(st.lists(st.sampled_from("ABCDEFGHJKLMNPRSTVWXYZ"), min_size=3, max_size=3)))
    number = draw(st.integers(100, 999))
    return draw(
        st.sampled_from(
            [
                f"{letters} {number}",
                f"{number} {letters}",
                f"VD {number} {draw(_digits(3))}",
                f"GE {number}",
                f"{letters[:2]}-{number}-{letters[1:]}",
            ]
        )
    )


ANYWHERE = [
    "{v}",
    "Le citoyen a fourni {v} lors de sa demande de permis.",
    "Objet : dossier de la requérante — {v}\nMerci de traiter rapidement.",
    "Voir la pièce jointe ({v}), reçue au comptoir le 3 mars.",
    "Nom | Référence\nDUPONT, Marie | {v}\n",
    "Bonjour,\n\nveuillez noter : {v}.\n\nCordialement",
    "« {v} » a été transmis au service des finances; résolution 2024-03-112.",
    "- {v}\n- Règlement 1227 sur les nuisances",
]
STRUCTURED: dict[str, tuple[st.SearchStrategy[str], list[str]]] = {
    "CA_SIN": (sin(), [*ANYWHERE, "NAS : {v}", "Son numéro d'assurance sociale est le {v}."]),
    "CA_RAMQ": (ramq(), [*ANYWHERE, "Carte RAMQ {v} expirée."]),
    "CA_QC_DRIVER_LICENCE": (driver_licence(), [*ANYWHERE, "Permis de conduire no {v}."]),
    "CH_AVS": (avs(), [*ANYWHERE, "N° AVS : {v}"]),
    "IBAN": (iban_number(), [*ANYWHERE, "Veuillez verser le remboursement sur le compte {v}."]),
    "CREDIT_CARD": (card(), [*ANYWHERE, "Payé par carte {v} au guichet."]),
    "PHONE": (phone(), [*ANYWHERE, "Tél. {v}", "Vous pouvez me joindre au {v} après 17 h."]),
    "EMAIL": (email(), [*ANYWHERE, "Courriel : {v}"]),
    "POSTAL_CODE (CA)": (
        ca_postal(),
        [*ANYWHERE, "Adresse : 12, rue des Érables, Gatineau (Québec) {v}", "Québec QC {v}", "C.P. {v}"],
    ),
    "POSTAL_CODE (CH)": (
        st.integers(1000, 9699).map(str),
        [
            "{v} Carouge",
            "Domicile : rue du Simplon 12, {v} Vevey.",
            "Écrire à la case postale 45, {v} Sion, avant le 4 mars.",
            "CH-{v} Lausanne",
            "Madame Marie Favre\nChemin des Vignes 3\n{v} La Chaux-de-Fonds",
        ],
    ),
    "DATE_OF_BIRTH": (
        birth_date(),
        [
            "Né le {v} à Sion.",
            "Date de naissance : {v}",
            "DDN : {v}",
            "La requérante, née le {v}, demande une carte.",
        ],
    ),
    "LICENCE_PLATE": (
        plate(),
        [
            "Plaque {v}",
            "Le véhicule immatriculé {v} sera remorqué.",
            "Immatriculation : {v}",
            "voiture {v} stationnée devant l'entrée",
        ],
    ),
}


@pytest.mark.parametrize("label", sorted(STRUCTURED))
def test_no_valid_identifier_survives_protect(guard: PrivacyGuard, label: str) -> None:
    values, templates = STRUCTURED[label]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(value=values, template=st.sampled_from(templates))
    def check(value: str, template: str) -> None:
        text = template.format(v=value)
        sent = guard.protect([{"role": "user", "content": text}]).messages[0]["content"]
        assert value not in sent, (label, text, sent)

    check()
