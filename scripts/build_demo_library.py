"""Generates the binary files of the demo library (DOCX, ODT, PDF) from the texts below.

The generated files are committed, so this only runs when a text changes:
``.venv/bin/python scripts/build_demo_library.py`` (needs the PyPI package ``fpdf2``
and Debian's ``fonts-dejavu-core``). Everything here is fictional: the town of Saint-Balise, its
people, their numbers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import docx
from fpdf import FPDF
from odf import dc, text
from odf.opendocument import OpenDocumentText
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parents[1] / "src" / "balise" / "documents" / "demo_library"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FIXED_DATE = datetime(2025, 10, 1, tzinfo=UTC)  # stable metadata, so rebuilding changes nothing

Block = tuple[str, str]  # (kind, text): kind is "title", "h1", "h2", "p" or "page" (a page break)

WATERING: list[Block] = [
    ("title", "Règlement no 2024-12 sur l'utilisation extérieure de l'eau potable"),
    (
        "p",
        "Ville de Saint-Balise (ville fictive, document de démonstration). Adopté le 10 juin 2024, "
        "en vigueur le 1er juillet 2024.",
    ),
    ("h1", "Chapitre 1 — Dispositions générales"),
    ("h2", "Article 1 — Objet"),
    (
        "p",
        "Le présent règlement encadre l'utilisation extérieure de l'eau provenant du réseau d'aqueduc "
        "municipal afin de préserver la réserve d'eau potable pendant la période estivale.",
    ),
    ("h2", "Article 2 — Champ d'application"),
    (
        "p",
        "Il s'applique à tout immeuble desservi par l'aqueduc municipal, qu'il soit résidentiel, "
        "commercial, institutionnel ou industriel.",
    ),
    ("h1", "Chapitre 2 — Arrosage"),
    ("h2", "Article 3 — Arrosage des pelouses et des jardins"),
    (
        "p",
        "L'arrosage au moyen d'un système automatique ou d'un arrosoir oscillant est permis uniquement "
        "entre 20 h et 23 h : les jours pairs pour les adresses paires et les jours impairs pour les "
        "adresses impaires. L'arrosage manuel avec un boyau muni d'un pistolet à fermeture automatique "
        "est permis en tout temps.",
    ),
    ("h2", "Article 4 — Nouvelle pelouse"),
    (
        "p",
        "Le propriétaire d'une nouvelle pelouse ou d'une nouvelle plantation peut obtenir un permis "
        "gratuit l'autorisant à arroser tous les jours, entre 20 h et 23 h, pendant 15 jours.",
    ),
    ("h2", "Article 5 — Piscines"),
    (
        "p",
        "Le remplissage complet d'une piscine est permis entre 22 h et 6 h. Un seul remplissage par "
        "année est autorisé, sauf en cas de réparation.",
    ),
    ("h2", "Article 6 — Lavage des véhicules et des entrées"),
    (
        "p",
        "Le lavage d'un véhicule est permis avec un seau ou un boyau muni d'un pistolet. Le lavage des "
        "entrées, des trottoirs et des patios à grande eau est interdit, sauf lors de travaux de "
        "peinture ou de rénovation.",
    ),
    ("h1", "Chapitre 3 — Interdiction temporaire et sanctions"),
    ("h2", "Article 7 — Interdiction temporaire"),
    (
        "p",
        "En période de sécheresse ou de bris majeur, le directeur des travaux publics peut interdire "
        "tout arrosage par un avis publié sur le site de la Ville et diffusé par l'alerte citoyenne.",
    ),
    ("h2", "Article 8 — Amendes"),
    (
        "p",
        "Quiconque contrevient au présent règlement commet une infraction et est passible d'une "
        "amende de 100 $ pour une première infraction, de 300 $ pour une récidive dans les douze "
        "mois et de 500 $ pour toute infraction subséquente.",
    ),
]

NUISANCES: list[Block] = [
    ("title", "Règlement no 2023-07 sur les nuisances"),
    ("p", "Ville de Saint-Balise (ville fictive, document de démonstration). Adopté le 13 mars 2023."),
    ("h1", "Section 1 — Bruit"),
    ("h2", "Article 1 — Bruit excessif"),
    (
        "p",
        "Constitue une nuisance le fait de produire ou de laisser produire un bruit qui trouble la "
        "paix, le repos ou le bien-être du voisinage, notamment au moyen d'un instrument de musique, "
        "d'un appareil de reproduction sonore ou d'un animal.",
    ),
    ("h2", "Article 2 — Heures de tranquillité"),
    (
        "p",
        "Entre 22 h et 7 h, tout bruit audible de la limite de la propriété voisine est interdit, sauf "
        "en cas d'urgence.",
    ),
    ("h2", "Article 3 — Travaux de construction"),
    (
        "p",
        "Les travaux de construction, de démolition ou de réfection bruyants, y compris ceux réalisés "
        "par un entrepreneur pour la Ville, ne peuvent être exécutés qu'entre 7 h et 19 h du lundi "
        "au vendredi et entre 9 h et 17 h le samedi. Ils sont interdits le dimanche et les jours "
        "fériés, sauf autorisation écrite du directeur des travaux publics.",
    ),
    ("h2", "Article 4 — Souffleuses et tondeuses"),
    (
        "p",
        "L'usage d'une tondeuse, d'une scie à chaîne ou d'un souffleur à feuilles à moteur est permis "
        "de 8 h à 20 h en semaine et de 9 h à 18 h la fin de semaine.",
    ),
    ("h1", "Section 2 — Propreté et salubrité"),
    ("h2", "Article 5 — Déchets sur un terrain"),
    (
        "p",
        "Il est interdit de laisser sur un terrain des déchets, de la ferraille, des véhicules hors "
        "d'état de fonctionner ou des matériaux de construction en dehors d'un chantier autorisé.",
    ),
    ("h2", "Article 6 — Herbes hautes"),
    ("p", "Le propriétaire d'un terrain doit couper le gazon et les herbes lorsqu'ils dépassent 20 cm."),
    ("h1", "Section 3 — Application"),
    ("h2", "Article 7 — Plaintes"),
    (
        "p",
        "Toute personne peut porter plainte au Service aux citoyens, par téléphone au 819 555-0100 ou "
        "par courriel. L'identité de la personne qui porte plainte est confidentielle.",
    ),
    ("h2", "Article 8 — Amendes"),
    (
        "p",
        "Une infraction aux articles 1 à 4 entraîne une amende de 150 $ à 1 000 $ ; une infraction "
        "aux articles 5 et 6, une amende de 200 $ à 2 000 $.",
    ),
]

RENOVATION: list[Block] = [
    ("title", "Règlement no 2025-03 sur les permis de rénovation"),
    (
        "p",
        "Ville de Saint-Balise (ville fictive, document de démonstration). Adopté le 10 février 2025, "
        "en vigueur le 1er avril 2025.",
    ),
    ("h1", "Chapitre 1 — Travaux assujettis"),
    ("h2", "Article 1 — Travaux nécessitant un permis"),
    (
        "p",
        "Un permis de rénovation est obligatoire pour : l'agrandissement d'un bâtiment ; la "
        "modification de la structure ou des murs porteurs ; le remplacement du revêtement extérieur, "
        "de la toiture ou des fenêtres ; l'aménagement d'une pièce habitable au sous-sol ; la "
        "construction ou l'agrandissement d'une galerie, d'un garage ou d'une remise de plus de 10 m².",
    ),
    ("h2", "Article 2 — Travaux exemptés"),
    (
        "p",
        "Ne nécessitent pas de permis : les travaux de peinture, le remplacement des armoires, des "
        "comptoirs et des couvre-planchers, ainsi que les réparations mineures de moins de 5 000 $ "
        "qui ne touchent ni la structure ni l'apparence extérieure.",
    ),
    ("page", ""),
    ("h1", "Chapitre 2 — Demande de permis"),
    ("h2", "Article 3 — Documents requis"),
    (
        "p",
        "La demande comprend le formulaire rempli, une description des travaux, leur coût estimé, un "
        "plan à l'échelle et, pour tout agrandissement, un certificat de localisation de moins de "
        "dix ans.",
    ),
    ("h2", "Article 4 — Délai de délivrance"),
    (
        "p",
        "Le fonctionnaire désigné délivre ou refuse le permis dans les 30 jours suivant la réception "
        "d'une demande complète. Tout refus est motivé par écrit.",
    ),
    ("h2", "Article 5 — Tarifs"),
    (
        "p",
        "Le tarif est de 50 $ pour des travaux de moins de 10 000 $, de 100 $ pour des travaux de "
        "10 000 $ à 50 000 $ et de 2 $ par tranche de 1 000 $ au-delà, jusqu'à un maximum de 500 $.",
    ),
    ("page", ""),
    ("h1", "Chapitre 3 — Validité, inspections et sanctions"),
    ("h2", "Article 6 — Durée de validité"),
    (
        "p",
        "Le permis est valide douze mois. Les travaux doivent commencer dans les six mois de sa "
        "délivrance, faute de quoi il devient nul.",
    ),
    ("h2", "Article 7 — Inspection"),
    (
        "p",
        "L'inspecteur en bâtiment peut visiter les lieux entre 7 h et 19 h pour vérifier la "
        "conformité des travaux. Le permis doit être affiché de façon visible depuis la rue.",
    ),
    ("h2", "Article 8 — Travaux sans permis"),
    (
        "p",
        "Quiconque exécute des travaux sans permis est passible d'une amende de 500 $ à 2 000 $ et "
        "peut être tenu de remettre les lieux dans leur état antérieur.",
    ),
]

HR_PROCEDURE: list[Block] = [
    ("title", "Procédure RH-04 — Déclaration des absences et congés de maladie"),
    (
        "p",
        "Usage interne — Service des ressources humaines, Ville de Saint-Balise (ville fictive). "
        "Document de démonstration : les personnes citées sont fictives. Révision : janvier 2025.",
    ),
    ("h1", "1. Objet"),
    (
        "p",
        "Cette procédure indique comment un employé déclare une absence imprévue, une absence pour "
        "maladie ou un congé pour raisons familiales, et comment son gestionnaire la consigne.",
    ),
    ("h1", "2. Déclarer une absence imprévue"),
    (
        "p",
        "L'employé avise son supérieur immédiat au plus tard une heure avant le début de son quart de "
        "travail, par téléphone ou par message texte. Il précise la durée prévue de l'absence, sans "
        "avoir à en donner la cause médicale.",
    ),
    (
        "p",
        "En l'absence du supérieur, l'employé joint la conseillère en ressources humaines de garde : "
        "Mme Isabelle Fortin, 819 555-0121, isabelle.fortin@saint-balise.exemple.ca.",
    ),
    ("h1", "3. Absence de plus de trois jours"),
    (
        "p",
        "Au-delà de trois jours ouvrables consécutifs, un certificat médical est exigé. Il est "
        "transmis directement au Service des ressources humaines, sous pli confidentiel, et jamais au "
        "gestionnaire. Le certificat indique la durée de l'incapacité, pas le diagnostic.",
    ),
    ("h1", "4. Consignation par le gestionnaire"),
    (
        "p",
        "Le gestionnaire inscrit l'absence dans le système de paie le jour même, avec le code MAL "
        "(maladie), FAM (raisons familiales) ou AUT (autre). Il ne consigne aucun renseignement de "
        "santé dans les notes.",
    ),
    ("h2", "Exemple"),
    (
        "p",
        "Le 14 janvier 2025, M. Kevin Nguyen, préposé aux travaux publics (matricule 40217, né le "
        "3 mars 1991, 819 555-0178), avise son contremaître, M. Daniel Roy, d'une absence de deux "
        "jours. M. Roy inscrit deux jours au code MAL, sans autre détail.",
    ),
    ("h1", "5. Retour au travail"),
    (
        "p",
        "Après une absence de plus de dix jours, une rencontre de retour au travail est organisée par "
        "le Service des ressources humaines. Responsable de la procédure : M. François Béland, "
        "directeur des ressources humaines, 819 555-0120.",
    ),
]

COMPOSTING_GUIDE: list[Block] = [
    ("title", "Guide pratique du compostage domestique (extrait)"),
    (
        "p",
        "© 2022 Éditions Terreau vivant inc. (éditeur fictif). Tous droits réservés. Extrait "
        "reproduit par la Ville de Saint-Balise avec l'autorisation de l'éditeur, pour l'usage de ses "
        "citoyens seulement ; toute autre reproduction est interdite.",
    ),
    ("h1", "Chapitre 3 — Réussir son compost"),
    ("h2", "L'équilibre entre matières vertes et brunes"),
    (
        "p",
        "Un bon compost alterne les matières vertes, riches en azote (épluchures, marc de café, "
        "gazon frais), et les matières brunes, riches en carbone (feuilles mortes, carton non imprimé, "
        "paille). Visez environ deux volumes de matières brunes pour un volume de matières vertes.",
    ),
    ("h2", "Humidité et aération"),
    (
        "p",
        "Le compost doit avoir l'humidité d'une éponge essorée. Brassez-le toutes les deux semaines "
        "pour l'aérer : un compost qui sent mauvais manque d'air ou contient trop de matières vertes.",
    ),
    ("h2", "Ce qu'il ne faut pas composter à la maison"),
    (
        "p",
        "Viandes, poissons, produits laitiers, huiles et excréments d'animaux domestiques attirent "
        "les animaux et ralentissent la décomposition. À Saint-Balise, ces résidus vont dans le bac "
        "brun de la collecte municipale, qui les traite à plus haute température.",
    ),
]

SCANNED_NOTICE = [
    "AVIS PUBLIC",
    "Ville de Saint-Balise (ville fictive)",
    "",
    "Fermeture du pont du Ruisseau",
    "",
    "Le pont du Ruisseau sera fermé à la",
    "circulation du 3 au 7 novembre 2025",
    "pour des travaux de réparation.",
    "Un détour sera indiqué par la rue",
    "des Érables et le chemin du Moulin.",
    "",
    "Donné à Saint-Balise, le 20 octobre 2025.",
    "La greffière, Louise Paquette",
]


def write_docx(blocks: list[Block], path: Path) -> None:
    document = docx.Document()
    for kind, content in blocks:
        if kind == "title":
            document.add_heading(content, level=0)
            document.core_properties.title = content
        elif kind in {"h1", "h2"}:
            document.add_heading(content, level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(content)
    document.core_properties.created = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.modified = FIXED_DATE.replace(tzinfo=None)
    document.core_properties.author = "Ville de Saint-Balise"
    document.core_properties.last_modified_by = "Ville de Saint-Balise"
    document.save(str(path))


def write_odt(blocks: list[Block], path: Path) -> None:
    document = OpenDocumentText()
    for kind, content in blocks:
        if kind == "title":
            document.meta.addElement(dc.Title(text=content))
            document.text.addElement(text.H(outlinelevel=1, text=content))
        elif kind in {"h1", "h2"}:
            document.text.addElement(text.H(outlinelevel=int(kind[1]) + 1, text=content))
        elif kind == "p":
            document.text.addElement(text.P(text=content))
    document.save(str(path))


def write_pdf(blocks: list[Block], path: Path, author: str) -> None:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_author(author)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    sizes = {"title": 16, "h1": 13, "h2": 11, "p": 10}
    for kind, content in blocks:
        if kind == "title":
            pdf.set_title(content)
        if kind == "page":
            pdf.add_page()
            continue
        pdf.set_font("DejaVu", "" if kind == "p" else "B", sizes[kind])
        pdf.multi_cell(0, 6 if kind == "p" else 8, content, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def write_scanned_pdf(lines: list[str], path: Path) -> None:
    """A page that is only an image, as a scanner makes it, so the demo shows OCR at work."""
    page = Image.new("L", (1240, 1754), color=255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 34)
    for index, line in enumerate(lines):
        draw.text((140, 200 + index * 56), line, fill=0, font=font)
    page.convert("1").save(path, "PDF", resolution=150, title="Avis public (numérisé)")


def main() -> None:
    write_docx(WATERING, HERE / "reglement-2024-12-arrosage.docx")
    write_docx(HR_PROCEDURE, HERE / "procedure-rh-absences.docx")
    write_odt(NUISANCES, HERE / "reglement-2023-07-nuisances.odt")
    write_pdf(RENOVATION, HERE / "reglement-2025-03-permis-renovation.pdf", "Ville de Saint-Balise")
    write_pdf(COMPOSTING_GUIDE, HERE / "guide-compostage-extrait.pdf", "Éditions Terreau vivant inc.")
    write_scanned_pdf(SCANNED_NOTICE, HERE / "avis-public-pont-numerise.pdf")


if __name__ == "__main__":
    main()
