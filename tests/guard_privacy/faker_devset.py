"""A second development set for the privacy guard, built with Faker rather than from the recognizers'
patterns.

Values come from Faker's ``fr_CA`` and ``fr_CH`` locales, with Swiss German (``de_CH``) and Italian names
(``it_IT``: Faker's ``it_CH`` has no person provider and falls back to English names), or are built from
each identifier's published structure (SIN and card Luhn, AVS EAN-13, RAMQ from name and birth date).
Documents take many shapes — letters, forms, e-mails, minutes, tables, signature blocks, notices — with
look-alikes that must stay unmasked (resolution and by-law numbers, amounts, lots, meeting dates, years
before a town, streets and parks named after people, companies, role words opening a line).

Gold ADDRESS spans cover number, street and unit; the postal code is its own span; towns are not labelled.

``python tests/guard_privacy/faker_devset.py OUT.jsonl [--size N] [--seed S]`` writes the ``balise eval pii``
format.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
from faker import Faker
from stdnum import ean, luhn
from stdnum import iban as stdnum_iban

SEED = 11_2026
SIZE = 900

_TOWNS_CH = (
    "Carouge|Sion|Lausanne|Nyon|Vevey|Montreux|Fribourg|Bulle|Neuchâtel|La Chaux-de-Fonds|Delémont|"
    "Yverdon-les-Bains|Morges|Renens|Martigny|Monthey|Sierre|Onex|Vernier|Meyrin|Lancy|Thônex|Pully|"
    "Gland|Payerne|Porrentruy|Le Locle|Ecublens|Prilly|Versoix|Chêne-Bougeries|Plan-les-Ouates|"
    "Aigle|Bex"
)
TOWNS_CH = _TOWNS_CH.split("|")
_TOWNS_QC = (
    "Québec|Montréal|Gatineau|Sherbrooke|Trois-Rivières|Lévis|Saguenay|Rimouski|Drummondville|"
    "Granby|Saint-Jérôme|Blainville|Victoriaville|Shawinigan|Rouyn-Noranda|Alma|Magog|Joliette|"
    "Sept-Îles|Val-d'Or"
)
TOWNS_QC = _TOWNS_QC.split("|")
AREA_CA = ("418", "438", "450", "514", "579", "581", "819", "873", "367")
PREFIX_CH = ("021", "022", "024", "026", "027", "032", "076", "077", "078", "079")
CANTONS = ("VD", "GE", "VS", "FR", "NE", "JU", "BE")
_PERSON_STREETS = (
    "chemin Georges-Tessier|place Sébastien-Michaud|rue Marie-Curie|parc Jean-Drapeau|"
    "avenue Henri-Dunant|boulevard René-Lévesque|croissant Louis-Fréchette|impasse Anne-Hébert|"
    "route Jean-Jacques-Rousseau|école Gabrielle-Roy|rue Émile-Nelligan|place Jean-Béliveau|"
    "promenade Samuel-De Champlain"
)
PERSON_STREETS = _PERSON_STREETS.split("|")
ROLE_OPENERS = (
    "Quiconque contrevient au présent règlement commet une infraction.",
    "Carte d'accès à l'écocentre : à renouveler chaque année.",
    "Propriétaire : voir le rôle d'évaluation.",
    "Requérant : à compléter par le service.",
    "Objet : demande de dérogation mineure",
    "Locataire ou propriétaire, chacun doit déneiger son entrée.",
    "Considérant que le conseil a adopté le règlement 2024-118;",
    "Attendu qu'un avis de motion a été donné le 4 mars 2025;",
)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Doc:
    """Text built piece by piece, with a gold span for each personal value."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[dict[str, Any]] = []

    def t(self, text: str) -> Doc:
        self.text += text
        return self

    def v(self, label: str, value: str) -> Doc:
        self.spans.append({"start": len(self.text), "end": len(self.text) + len(value), "label": label})
        self.text += value
        return self


class Values:
    """Realistic values of each label from Faker and the identifiers' published rules."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fakers = {loc: Faker(loc) for loc in ("fr_CA", "fr_CH", "de_CH", "it_IT", "fr_FR")}
        for number, fake in enumerate(self.fakers.values()):
            fake.seed_instance(rng.randrange(10**9) + number)

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def person_parts(self, region: str = "") -> tuple[str, str]:
        locale = region or self.rng.choices(["fr_CA", "fr_CH", "de_CH", "it_IT"], [40, 30, 15, 15])[0]
        fake = self.fakers[locale]
        return fake.first_name(), fake.last_name()

    def person(self, region: str = "") -> str:
        first, last = self.person_parts(region)
        shape = self.rng.random()
        if shape < 0.55:
            return f"{first} {last}"
        if shape < 0.7:
            return f"{last.upper()}, {first}"
        if shape < 0.85:
            return f"{first} {last.upper()}"
        return f"{first[0]}. {last}"

    def email(self) -> str:
        first, last = (_plain(p).lower().replace(" ", "") for p in self.person_parts())
        domain = self.pick(
            "videotron.ca", "bluewin.ch", "gmail.com", "hotmail.com", "sympatico.ca", "sunrise.ch"
        )
        user = self.pick(f"{first}.{last}", f"{first[0]}{last}", f"{last}{self.rng.randint(1, 99)}")
        if self.rng.random() < 0.08:
            name, tld = domain.rsplit(".", 1)
            return f"{user} [at] {name} [point] {tld}"
        return f"{user}@{domain}"

    def phone(self, region: str) -> str:
        while True:
            if region == "ca":
                area, exchange = self.pick(*AREA_CA), str(self.rng.randint(200, 989))
                line = f"{self.rng.randint(0, 9999):04d}"
                text = self.pick(
                    f"{area} {exchange}-{line}",
                    f"({area}) {exchange}-{line}",
                    f"{area}-{exchange}-{line}",
                    f"{area}.{exchange}.{line}",
                    f"+1 {area} {exchange} {line}",
                    f"1-{area}-{exchange}-{line}",
                )
            else:
                prefix, rest = self.pick(*PREFIX_CH), f"{self.rng.randint(2000000, 9999999)}"
                a, b, c = rest[:3], rest[3:5], rest[5:]
                text = self.pick(
                    f"{prefix} {a} {b} {c}",
                    f"{prefix}/{a} {b} {c}",
                    f"+41 {prefix[1:]} {a} {b} {c}",
                    f"+41 (0){prefix[1:]} {a} {b} {c}",
                    f"0041 {prefix[1:]} {a} {b} {c}",
                    f"{prefix}/{a}.{b}.{c}",
                    f"{prefix} {a}{b}{c}",
                )
            parsed = phonenumbers.parse(text.replace("/", " "), "CA" if region == "ca" else "CH")
            if phonenumbers.is_valid_number(parsed):
                return text

    def address(self, region: str) -> str:
        if region == "ca":
            street = self.fakers["fr_CA"].street_name()
            number = str(self.rng.randint(1, 9999))
            unit = self.pick(
                "", "", "", f", app. {self.rng.randint(1, 40)}", f", bureau {self.rng.randint(100, 450)}"
            )
            return self.pick(f"{number} {street}{unit}", f"{number}, {street}{unit}")
        if self.rng.random() < 0.15:
            return f"{self.fakers['de_CH'].street_name()} {self.rng.randint(1, 120)}"
        return (
            f"{self.fakers['fr_CH'].street_name()} {self.rng.randint(1, 120)}{self.pick('', '', 'bis', 'A')}"
        )

    def postal(self, region: str) -> tuple[str, str]:
        if region == "ca":
            return self.fakers["fr_CA"].postcode(), self.pick(*TOWNS_QC)
        return str(self.rng.randint(1000, 2999)), self.pick(*TOWNS_CH)

    def sin(self) -> str:
        body = str(self.rng.choice([1, 2, 3, 4, 5, 6, 7, 9])) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(7)
        )
        value = body + luhn.calc_check_digit(body)
        sep = self.pick(" ", "-", "")
        return f"{value[:3]}{sep}{value[3:6]}{sep}{value[6:]}"

    def ramq(self) -> str:
        first, last = (
            _plain(p).upper().replace(" ", "").replace("-", "") for p in self.person_parts("fr_CA")
        )
        month = self.rng.randint(1, 12) + self.pick(0, 50)  # type: ignore[arg-type]
        year, day, tail = self.rng.randint(40, 99), self.rng.randint(1, 28), self.rng.randint(10, 99)
        code = f"{(last + 'XXX')[:3]}{first[0]}{year:02d}{month:02d}{day:02d}{tail}"
        return self.pick(f"{code[:4]} {code[4:8]} {code[8:]}", code)

    def licence(self) -> str:
        letter = self.pick(*"ABCDGLMPRST")
        digits = "".join(str(self.rng.randint(0, 9)) for _ in range(12))
        return self.pick(
            f"{letter}{digits[:4]}-{digits[4:10]}-{digits[10:]}",
            f"{letter}{digits}",
            f"{letter}{digits[:4]} {digits[4:10]} {digits[10:]}",
        )

    def avs(self) -> str:
        body = "756" + "".join(str(self.rng.randint(0, 9)) for _ in range(9))
        value = body + ean.calc_check_digit(body)
        return self.pick(
            f"{value[:3]}.{value[3:7]}.{value[7:11]}.{value[11:]}",
            value,
            f"{value[:3]} {value[3:7]} {value[7:11]} {value[11:]}",
        )

    def iban(self) -> str:
        value = self.pick(
            self.fakers["fr_CH"].iban(), self.fakers["fr_CH"].iban(), self.fakers["fr_FR"].iban()
        )
        assert stdnum_iban.is_valid(value)
        if self.rng.random() < 0.6:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def card(self) -> str:
        value = self.fakers["fr_CA"].credit_card_number(card_type=self.pick("visa16", "mastercard", "amex"))
        if len(value) == 16 and self.rng.random() < 0.6:
            return " ".join(value[i : i + 4] for i in range(0, 16, 4))
        return value

    def date(self, year_from: int, year_to: int) -> str:
        day, month, year = (
            self.rng.randint(1, 28),
            self.rng.randint(1, 12),
            self.rng.randint(year_from, year_to),
        )
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
        return self.pick(
            f"{day} {months[month - 1]} {year}",
            f"{day:02d}/{month:02d}/{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day:02d}.{month:02d}.{year}",
        )

    def plate(self, region: str) -> str:
        letters = "ABCDEFGHJKLMNPRSTVWXYZ"
        l3 = "".join(self.rng.choice(letters) for _ in range(3))
        if region == "ca":
            # Faker's fr_CA plates are not Quebec formats (« 0C-PKSD »): Quebec's own shapes instead.
            return self.pick(f"{l3} {self.rng.randint(100, 999)}", f"{self.rng.randint(100, 999)} {l3}")
        if self.rng.random() < 0.3:
            return (
                f"{l3[:2]}-{self.rng.randint(100, 999)}-{self.rng.choice(letters)}{self.rng.choice(letters)}"
            )
        number = str(self.rng.randint(1, 999999))
        grouped = number if len(number) <= 3 else f"{number[:-3]} {number[-3:]}"
        return f"{self.pick(*CANTONS)} {grouped}"


Template = Callable[[Doc, Values, str], None]


def letter(d: Doc, g: Values, region: str) -> None:
    town_code, town = g.postal(region)
    d.v("PERSON", g.person("fr_CA" if region == "ca" else "")).t("\n").v("ADDRESS", g.address(region)).t("\n")
    if region == "ca":
        d.t(f"{town} (Québec) ").v("POSTAL_CODE", town_code).t("\n\n")
    else:
        d.v("POSTAL_CODE", town_code).t(f" {town}\n\n")
    d.t(
        f"{g.pick('Objet', 'Concerne')} : "
        f"{g.pick('demande de permis', 'plainte pour bruit', 'taxes foncières', 'dérogation mineure')}\n\n"
    )
    d.t(g.pick("Madame, Monsieur,\n\n", "Bonjour,\n\n"))
    d.t(g.pick("Je vous écris au sujet du ", "Suite à votre lettre concernant le ")).t(
        g.pick("dossier 2024-0" + str(g.rng.randint(100, 999)), "règlement 1227", "lot 4 123 456")
    )
    d.t(". Vous pouvez me joindre au ").v("PHONE", g.phone(region)).t(" ou par courriel à ").v(
        "EMAIL", g.email()
    ).t(".\n\n")
    d.t(
        g.pick(
            "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.\n\n",
            "Meilleures salutations,\n\n",
            "Cordialement,\n\n",
        )
    )
    first, last = g.person_parts()
    d.v("PERSON", g.pick(f"{first} {last}", f"{first} {last.upper()}", f"{last.upper()} {first}"))


def form(d: Doc, g: Values, region: str) -> None:
    d.t(
        g.pick(
            "FORMULAIRE DE DEMANDE DE PERMIS\n",
            "Demande d'accès à l'écocentre\n",
            "Inscription aux activités\n",
        )
    )
    d.t("Nom : ").v("PERSON", g.person()).t("\n")
    d.t(g.pick("Adresse : ", "Domicile : ", "Adresse de correspondance : ")).v(
        "ADDRESS", g.address(region)
    ).t(", ")
    code, town = g.postal(region)
    if region == "ca":
        d.t(f"{town} ").v("POSTAL_CODE", code).t("\n")
        d.t(g.pick("NAS : ", "No d'assurance sociale : ")).v("CA_SIN", g.sin()).t("\n")
        d.t(g.pick("No RAMQ : ", "Assurance maladie : ")).v("CA_RAMQ", g.ramq()).t("\n")
        d.t(g.pick("Permis de conduire : ", "No de permis (SAAQ) : ")).v(
            "CA_QC_DRIVER_LICENCE", g.licence()
        ).t("\n")
    else:
        d.v("POSTAL_CODE", code).t(f" {town}\n")
        d.t(g.pick("No AVS : ", "N° AVS : ", "Numéro AVS : ")).v("CH_AVS", g.avs()).t("\n")
    d.t(g.pick("Date de naissance : ", "DDN : ", "Né(e) le ")).v("DATE_OF_BIRTH", g.date(1935, 2006)).t("\n")
    d.t(g.pick("Téléphone : ", "Tél. : ", "Cellulaire : ", "Natel : ")).v("PHONE", g.phone(region)).t("\n")
    d.t(g.pick("Courriel : ", "E-mail : ")).v("EMAIL", g.email()).t("\n")
    d.t(g.pick("Plaque d'immatriculation : ", "Immatriculation du véhicule : ")).v(
        "LICENCE_PLATE", g.plate(region)
    ).t("\n")
    d.t(f"Date de la demande : {g.date(2024, 2026)}\nMontant payé : {g.rng.randint(20, 900)},00 $\n")


def payment(d: Doc, g: Values, region: str) -> None:
    d.t(g.pick("Remboursement de la caution — ", "Paiement de la facture ")).t(
        f"no {g.rng.randint(10000, 99999)}\n"
    )
    d.t("Titulaire : ").v("PERSON", g.person()).t("\n")
    d.t(g.pick("IBAN : ", "Compte bancaire (IBAN) : ", "Veuillez verser le montant sur le compte ")).v(
        "IBAN", g.iban()
    ).t("\n")
    d.t(g.pick("Carte de crédit : ", "Payé par carte Visa ", "No de carte : ")).v("CREDIT_CARD", g.card()).t(
        "\n"
    )
    d.t(
        f"Montant : {g.pick('CHF', '$')} {g.rng.randint(1, 9)} {g.rng.randint(100, 999)}"
        f".{g.rng.randint(10, 99)}\n"
    )


def email(d: Doc, g: Values, region: str) -> None:
    sender = g.email()
    d.t("De : ").v("EMAIL", sender).t("\nÀ : ").v("EMAIL", "info@ville.exemple.ch").t(
        "\nObjet : " + g.pick("Bruit du voisin", "Stationnement", "Collecte des ordures") + "\n\n"
    )
    d.t(g.pick("Bonjour,\n\n", "Madame, Monsieur,\n\n"))
    d.t("Mon voisin, ").v("PERSON", g.person()).t(", qui habite au ").v("ADDRESS", g.address(region))
    d.t(g.pick(", laisse sa voiture ", ", stationne son véhicule ")).v("LICENCE_PLATE", g.plate(region))
    d.t(" devant mon entrée depuis le " + g.date(2025, 2026) + ".\n\n")
    d.t("Merci,\n").v("PERSON", g.person()).t("\n").v("PHONE", g.phone(region))


def minutes(d: Doc, g: Values, region: str) -> None:
    d.t(f"PROCÈS-VERBAL de la séance du conseil du {g.date(2024, 2026)}\n\n")
    people = [g.person() for _ in range(g.rng.randint(2, 4))]
    d.t(g.pick("Présents : ", "Sont présents : "))
    for i, person in enumerate(people):
        d.t(g.pick("M. ", "Mme ", "") if "," not in person else "").v("PERSON", person)
        d.t(", " if i < len(people) - 2 else (" et " if i == len(people) - 2 else ".\n\n"))
    d.t(f"Résolution {g.rng.randint(2023, 2026)}-{g.rng.randint(1, 12):02d}-{g.rng.randint(100, 400)}\n")
    first, last = g.person_parts()
    d.t("Il est proposé par ").t(g.pick("M. ", "Mme ", "le conseiller ")).v(
        "PERSON", g.pick(last, f"{first} {last}")
    )
    d.t(", appuyé par ").t(g.pick("M. ", "Mme ", "la conseillère ")).v("PERSON", g.person_parts()[1])
    d.t(", d'accorder la dérogation demandée pour le ").v("ADDRESS", g.address(region)).t(
        g.pick(" (lot 3 456 789)", "", f" pour un montant de {g.rng.randint(1, 99)} 500 $")
    )
    d.t(".\nAdoptée à l'unanimité.\n\n")
    d.t(g.pick(*ROLE_OPENERS)).t("\n")
    d.t(f"Les travaux du {g.pick(*PERSON_STREETS)} débuteront en {g.rng.randint(2025, 2027)}.")


def table(d: Doc, g: Values, region: str) -> None:
    d.t("Liste des inscriptions\n" + g.pick("Nom | Téléphone | Courriel\n", "Nom\tTéléphone\tCourriel\n"))
    sep = " | " if "|" in d.text else "\t"
    for _ in range(g.rng.randint(2, 5)):
        d.v("PERSON", g.person()).t(sep).v("PHONE", g.phone(region)).t(sep).v("EMAIL", g.email()).t("\n")
    d.t(f"Total : {g.rng.randint(2, 5)} personnes — séance du {g.date(2025, 2026)}")


def witnesses(d: Doc, g: Values, region: str) -> None:
    d.t(g.pick("Témoins :\n", "Requérants :\n", "Liste des requérants\n"))
    for _ in range(g.rng.randint(2, 4)):
        d.t(g.pick("- ", "• ", "")).v("PERSON", g.person()).t(", ").v("ADDRESS", g.address(region)).t("\n")
    d.t(g.pick("Témoin : ", "Requérant : ", "Plaignante : ")).v("PERSON", g.person()).t("\n")
    d.t(g.pick(*ROLE_OPENERS))


def notice(d: Doc, g: Values, region: str) -> None:
    town = g.pick(*(TOWNS_QC if region == "ca" else TOWNS_CH))
    d.t(g.pick("AVIS PUBLIC\n", "Communiqué\n"))
    d.t(f"En {g.rng.randint(1990, 2025)}, {town} a adopté le règlement {g.rng.randint(100, 2999)}. ")
    d.t(f"Le {g.pick(*PERSON_STREETS)} sera fermé du {g.date(2025, 2026)} au {g.date(2025, 2026)}. ")
    d.t(
        g.pick(
            "Construction Tremblay inc.",
            "Garage Favre SA",
            "Desjardins",
            "la Caisse Raiffeisen",
            "Hydro-Québec",
        )
    )
    d.t(
        f" réalisera les travaux pour {g.rng.randint(10, 900)} 000 $. "
        f"Renseignements : greffe, poste {g.rng.randint(200, 299)}."
    )
    if g.rng.random() < 0.5:
        d.t(" Signalement : le véhicule ").v("LICENCE_PLATE", g.plate(region)).t(" sera remorqué.")


def birth(d: Doc, g: Values, region: str) -> None:
    d.v("PERSON", g.person()).t(g.pick(", né le ", ", née le ", " (né le ", ", date de naissance : "))
    d.v("DATE_OF_BIRTH", g.date(1930, 2010)).t(g.pick(", ", "), ", " — "))
    d.t(g.pick("demande une carte de résident", "s'inscrit au camp de jour", "demande l'exemption")).t(
        f" à compter du {g.date(2025, 2026)}. "
    )
    if region == "ch":
        d.t("Domicile : ").v("ADDRESS", g.address(region)).t(", ")
        code, town = g.postal(region)
        d.v("POSTAL_CODE", code).t(f" {town}.")
    else:
        code, town = g.postal(region)
        d.t("Adresse : ").v("ADDRESS", g.address(region)).t(f", {town} (Québec) ").v("POSTAL_CODE", code).t(
            "."
        )


def signature(d: Doc, g: Values, region: str) -> None:
    d.t(g.pick("Merci de votre collaboration.\n\n", "Nous restons à votre disposition.\n\n"))
    first, last = g.person_parts()
    d.v("PERSON", g.pick(f"{first} {last}", f"{first} {last.upper()}")).t("\n")
    d.t(
        g.pick(
            "Inspecteur en bâtiment", "Greffière", "Directrice des travaux publics", "Secrétaire municipal"
        )
    ).t("\n")
    d.t(g.pick("Tél. ", "T ", "Ligne directe : ")).v("PHONE", g.phone(region)).t("\n").v("EMAIL", g.email())


def clean(d: Doc, g: Values, region: str) -> None:
    """Nothing personal: only look-alikes."""
    d.t(g.pick(*ROLE_OPENERS)).t(" ")
    d.t(f"Le {g.pick(*PERSON_STREETS)} et le {g.pick(*PERSON_STREETS)} seront déneigés en priorité. ")
    d.t(
        f"Séance du {g.date(2025, 2026)} à 19 h, salle du conseil. Budget : {g.rng.randint(1, 9)} 950 000 $. "
    )
    d.t(
        f"Résolution CM-{g.rng.randint(2023, 2026)}-{g.rng.randint(100, 999)}; "
        f"dossier {g.rng.randint(100, 999)} {g.rng.randint(100, 999)} {g.rng.randint(100, 999)}."
    )


TEMPLATES: tuple[tuple[Template, int], ...] = (
    (letter, 14),
    (form, 14),
    (payment, 8),
    (email, 12),
    (minutes, 12),
    (table, 8),
    (witnesses, 10),
    (notice, 8),
    (birth, 8),
    (signature, 8),
    (clean, 8),
)


def generate(size: int = SIZE, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    values = Values(rng)
    templates, weights = zip(*TEMPLATES, strict=True)
    records = []
    for number in range(size):
        template = rng.choices(templates, weights)[0]
        region = rng.choice(("ca", "ch"))
        doc = Doc()
        template(doc, values, region)
        records.append(
            {"id": f"fk-{number:04d}-{template.__name__}-{region}", "text": doc.text, "spans": doc.spans}
        )
    return records


def write_jsonl(path: Path, size: int = SIZE, seed: int = SEED) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in generate(size, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args()
    write_jsonl(arguments.out, arguments.size, arguments.seed)
