"""The built-in policy: the Quebec guide's discouraged uses (X1, X2, X4, X5) and its copyright directive (D4).

The example requests here are written for the classifier only; the evaluation set
(``balise/evaluation/datasets/policy_dev.jsonl``) is written separately so that its figures are honest.
Explanations are English msgids; their French text quotes the guide (``guard_policy.po``).
"""

from __future__ import annotations

from balise.guard.policy.rules import Policy, Rule
from balise.i18n import N_

THIRD_PARTY_COPYRIGHT = "third_party_copyright"

X1_EXPLANATION = N_(
    'The guide asks not to use generative AI to evaluate an employee or a job candidate ("evaluating an '
    'employee or an application with an AI tool" is a discouraged use). A person must make this assessment.'
)
X2_EXPLANATION = N_(
    'The guide discourages "producing an image or a video whose subject resembles a real person (such as a '
    'political figure)". You may ask for a visual without any identifiable real person.'
)
X4_EXPLANATION = N_(
    "The guide discourages \"using generative AI to replace one's judgment or to outsource a skill the "
    'employee does not have". The AI can help you prepare the decision, but you must take it yourself and '
    "have the result reviewed."
)
X5_EXPLANATION = N_(
    'The guide discourages using generative AI "for searches that can easily be done with a classic search '
    'engine, because of the greater environmental cost of AI". A generated answer uses much more energy than '
    "a search: please use the search page instead."
)
D4_EXPLANATION = N_(
    'The guide asks "not to submit to a generative AI platform information that could be subject to '
    "copyright\". This text or document seems to be protected by a third party's copyright: check that you "
    "have the right to use it before going on."
)
ALLOWED_EXPLANATION = N_("This request matches a use that the guide lists as useful.")

_PEOPLE = (
    r"(candidat\w*|candidature\w*|cv|curriculum\w*|postulant\w*|applicant\w*|candidates?|resumes?|"
    r"finalistes?|finalists?|personnes? (rencontrees?|passees?) en entrevue)"
)
_RANK_VERBS = (
    r"(classe\w*|trie\w*|tri|ordonne\w*|hierarchise\w*|note\w*|evalue\w*|score\w*|rank\w*|rate|rating|screen\w*|"
    r"filtre\w*|selectionne\w*|preselectionne\w*|departage\w*|compare\w*|elimine\w*|shortlist\w*|retien\w*|"
    r"choisi\w*|recommande\w*|juge\w*|pick|assess\w*|attribue\w*|cote\w*|pointage|palmares)"
)
_HIRE = (
    r"(engag\w*|embauch\w*|reten\w*|retien\w*|convoqu\w*|rappeler|recrut\w*|promouv\w*|nommer|hire|interview|"
    r"shortlist)"
)
_STAFF = (
    r"(employe\w*|employee\w*|collegue\w*|colleague\w*|subordonne\w*|commis|cols? bleus?|cols? blancs?|"
    r"contremaitres?|preposee?s?|staff|membres? de (mon|notre) equipe|team members?|stagiaires?|"
    r"chefs? d'equipe|cadres?|gestionnaires?)"
)
_TRAITS = (
    r"(rendement|performance|professionnalisme|attitude|comportement|competences?|productivite|leadership|"
    r"potentiel|ponctualite|travail|efficacite)"
)
_EVAL = r"(evalue\w*|estime\w*|note\w*|juge\w*|critique\w*|appreci\w*|assess\w*|rate|mesure\w*)"
_MEDIA = (
    r"(image\w*|photo\w*|video\w*|illustration\w*|portrait\w*|montage\w*|picture\w*|visuel\w*|dessins?|"
    r"caricature\w*|avatar\w*|affiche\w*|clip\w*)"
)
_MAKE = (
    r"(genere\w*|cree\w*|creer|fabrique\w*|produi\w*|dessine\w*|fais|faire|generate|create|make|draw|imagine|"
    r"besoin|veux|voudrais|need|want|truque\w*|fausse|faux|fake|realiste\w*|photorealiste\w*|realistic)"
)
_REAL_PERSON = (
    r"(maire|mairesse|mayor|premier ministre|premiere ministre|prime minister|premier of|president\w*|"
    r"ministre|depute\w*|prefete?|conseill\w+ (municipa\w+|du district|de ville)|conseill\w+ [A-Z]\w+|"
    r"councill?or\w*|syndic|celebrit\w+|vedette\w*|politicien\w*|politician\w*|personnalite\w*|"
    r"vraie personne|real person|directeur general|directrice generale|greffi\w+)"
)
_NAME = r"(?-i:[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+)"

X1_RULE = Rule(
    id="x1-evaluate-people",
    requirement="X1",
    outcome="block",
    explanation=X1_EXPLANATION,
    patterns=(
        rf"\b{_RANK_VERBS}\s+(\S+\s+){{0,6}}{_PEOPLE}\b",
        rf"\b{_PEOPLE}\b.*\b(lequel|laquelle|lesquel\w*|qui|which|who)\b.*\b{_HIRE}",
        rf"\b(lequel|laquelle|lesquel\w*|quels?|quelles?|which)\s+(\S+\s+){{0,3}}{_PEOPLE}\b.*"
        rf"\b({_HIRE}|meilleur\w*|best|plus qualifie\w*)",
        # « Qui devrais-je embaucher ? », not a relative « un salarié qui vient d'être recruté ».
        rf"(^|[,:;.!?]\s*|\b(dis-moi|indique-moi|decide|choisis|determine|suggere|recommande|propose)\s+)"
        rf"(qui|lequel|laquelle|who)\s+(\S+\s+){{0,2}}{_HIRE}\b",
        rf"\b{_EVAL}\s+(\S+\s+){{0,4}}{_TRAITS}\s+(de|d'|du|of)\s+(\S+\s+){{0,2}}{_STAFF}",
        rf"\b{_EVAL}\s+(son|sa|ses|leur|his|her|their)\s+{_TRAITS}",
        rf"\b{_EVAL}\s+(\S+\s+){{0,3}}{_TRAITS}\s+(\S+\s+){{0,2}}(de|d'|of)\s+(chacun\w*|mes|my|each|nos)\b",
        rf"\b(classe\w*|trie\w*|ordonne\w*|hierarchise\w*|note\w*|rank\w*|rate|score\w*|departage\w*)\s+"
        rf"(\S+\s+){{0,3}}{_STAFF}",
        rf"\b{_STAFF}\s+(\S+\s+){{0,5}}(le|la|les|the)\s+(plus|moins|most|least)\s+"
        r"(performant|productif|efficace|competent|fiable)\w*",
        rf"\b(est|serait|sont|is|would be)\s+(un|une|de|a|the)\s+"
        rf"(bon\w*|mauvais\w*|meilleur\w*|good|bad|best|"
        rf"right)\s+({_PEOPLE}|{_STAFF}|fit)\b",
        r"\b(qui|lesquel\w*|quels?|quelles?|which|who|identifie\w*|liste\w*|trouve\w*|find|list|identify)\b.*"
        r"\b(underperform\w*|sous-performant\w*)",
        rf"\b{_STAFF}\b.*\b(underperform\w*|sous-performant\w*)",
        r"\b(performance review|performance appraisal|performance evaluation|annual review|"
        r"(evaluation|appreciation) (annuelle )?(du|de|de la) (rendement|performance)|evaluation annuelle)\b",
        r"\b(juge\w*|evalue\w*|dis-moi si|determine\w* si|tell me if|decide\w* if)\b.*"
        r"\b(probation|periode d'essai)\b",
        r"\bmerite\w*\s+(une?\s+)?(augmentation|promotion|prime|congediement|sanction|renvoi)\b",
        r"\bdeserves? (a |an )?(raise|promotion|bonus)\b",
        r"\best-ce qu\S*\s.*\b(fait|fais|font)\s+(du|un)\s+(bon|mauvais)\s+travail\b",
        rf"\b(licencier|congedier|renvoyer|mettre a pied|mis\w* a pied|fire)\b.*\b{_STAFF}\b",
        rf"\b{_STAFF}\b.*\b(licencier|congedier|renvoyer|mettre a pied|mis\w* a pied|fire)\b",
    ),
    exceptions=(
        r"\b(offre|affichage|annonce|description) (d'emploi|de poste)\b",
        r"\bquestions? d'entrevue\b",
        r"\b(gabarit|modele|formulaire|template|politique|policy|criteres|formation)\b",
        r"\b(job posting|job description|interview questions)\b",
        r"\bpar (date|theme|sujet|ordre alphabetique|categorie|service|priorite)\b",
        # The performance of a building, a network or a budget is not a person's.
        r"\b(performance|rendement)s? (energetique|environnementale?|financier|financiere|technique|"
        r"acoustique|thermique|du reseau|des equipements|du batiment)\w*",
    ),
    cues=(
        rf"\b({_PEOPLE}|{_STAFF}|{_TRAITS})\b",
        r"\b(personne\w*|gens|profil\w*|entrevue\w*|interview\w*|equipe|team|collegue\w*|salarie\w*|"
        r"agent\w*|promotion|probation|merit\w*|qualifie\w*|meilleur\w*|pire|best|worst|classement|"
        r"palmares|embauch\w*|engager|licenci\w*|congedi\w*|mis\w* a pied|hire|fire|staff|employ\w*)\b",
    ),
    examples=(
        "Classe les candidatures reçues pour le poste de technicien du meilleur au pire.",
        "Lis ces CV et dis-moi lesquels méritent une entrevue.",
        "Donne une note sur 10 à chaque candidat selon son expérience.",
        "Parmi ces postulants, lequel est le plus qualifié pour le poste de greffier?",
        "Fais une présélection des candidatures pour le poste de coordonnateur aux loisirs.",
        "Élimine les candidats qui n'ont pas le profil recherché dans cette pile de CV.",
        "Compare les profils de ces trois finalistes et recommande celui à embaucher.",
        "Analyse la lettre de motivation de cette candidate et dis-moi si on doit la retenir.",
        "Évalue le rendement de mon employé à partir de ses rapports d'activité.",
        "Rédige l'évaluation annuelle de rendement de Martin, préposé aux travaux publics.",
        "Donne une cote de performance à chaque membre de mon équipe.",
        "Quel employé de la voirie est le moins productif selon ces feuilles de temps?",
        "Dis-moi si ma collègue mérite une promotion d'après ses courriels.",
        "Juge l'attitude de cet employé pendant la dernière année.",
        "Identifie les employés qui devraient être mis à pied en premier.",
        "Analyse les absences de Sylvie et dis-moi si elle est une bonne employée.",
        "Évalue si ce stagiaire a les compétences pour être engagé à temps plein.",
        "Attribue un score de personnalité à chaque personne passée en entrevue.",
        "Lis les notes d'entrevue et décide quel candidat a le mieux performé.",
        "Prépare un palmarès des cols bleus selon leur efficacité.",
        "Rank these job applicants for the planner position.",
        "Screen these resumes and keep only the best five.",
        "Write a performance appraisal for my employee based on these notes.",
        "Which of my staff members is underperforming?",
        "Score each applicant's interview answers from 1 to 5.",
        "Tell me if this employee should pass probation.",
    ),
)

X2_RULE = Rule(
    id="x2-real-person-image",
    requirement="X2",
    outcome="block",
    explanation=X2_EXPLANATION,
    patterns=(
        rf"^(?=.*\b{_MAKE}\b).*"
        r"\b(deepfake\w*|hypertrucage\w*|face ?swap|clonage de (la )?voix|voice clon\w*)\b",
        rf"^(?=.*\b{_MEDIA}\b)(?=.*\b{_MAKE}\b)(?=.*\b{_REAL_PERSON}\b)",
        rf"^(?=.*\b{_MAKE}\b).*\b{_MEDIA}\b.*\b(de|d'|du|of|avec|with|montrant|showing)\s+{_NAME}",
        rf"^(?=.*\b{_MAKE}\b).*\b{_MEDIA}\b.*\b{_NAME}\b",
        rf"\b(ressembl\w*|looks? like|lookalike|sosie)\b\s+(\S+\s+){{0,3}}({_NAME}|\S*\s*{_REAL_PERSON})",
        r"\b(voix|visage|voice|face) (et le visage |and face )?(de|d'|du|of)\s+(notre|la|le|our|the)\s+"
        r"(maire|mairesse|mayor|conseill\w+|syndic|prefete?)",
    ),
    exceptions=(
        r"\b(legende|caption|texte alternatif|alt text|description) (de|d'|du|for|of)\b",
        r"\b(fictif|fictive|fictifs|fictives|fictional|imaginaire|anonymes?|anonymous|generique|generic)\b",
        r"\b(resume\w*|summari\w*|transcri\w*)\b",
    ),
    cues=(rf"\b({_MEDIA}|voix|visage|voice|face|deepfake\w*|hypertrucage\w*|ressembl\w*|looks? like)\b",),
    examples=(
        "Génère une photo réaliste du maire en train d'inaugurer la nouvelle piscine.",
        "Crée une image de la mairesse qui serre la main du premier ministre.",
        "Fais une vidéo où notre conseillère municipale annonce le budget.",
        "Produis un portrait photoréaliste de Valérie Plante pour notre infolettre.",
        "Crée une vidéo du premier ministre François Legault qui félicite la Ville.",
        "Génère une image de notre directeur général en costume de père Noël.",
        "Fais un montage photo du syndic avec les bénévoles de la fête au village.",
        "Fabrique une image du président de la Confédération en visite dans notre commune.",
        "Crée une caricature réaliste du chef de l'opposition au conseil.",
        "Fais parler le maire dans une vidéo générée pour nos réseaux sociaux.",
        "Génère un avatar qui ressemble exactement à notre mairesse pour le site web.",
        "Génère une photo de Céline Dion qui visite notre bibliothèque.",
        "Make a realistic picture of the mayor cutting the ribbon at the new arena.",
        "Generate a video of the prime minister endorsing our recycling campaign.",
        "Create a deepfake of the councillor apologising.",
        "Create an image that looks like our town clerk for the newsletter.",
    ),
)

X4_RULE = Rule(
    id="x4-decide-for-me",
    requirement="X4",
    outcome="warn",
    explanation=X4_EXPLANATION,
    patterns=(
        r"\b(decide\w*|tranche\w*|choisi\w*|determine\w*|fixe\w*|etabli\w*|rends|rendre)\b\s+(\S+\s+){0,3}"
        r"(a ma place|pour moi|pour nous|a notre place|toi-meme)\b",
        r"\b(prends|prenez|prendre)\s+la decision\b",
        r"\b(decide for me|make the decision for me|you decide|decide on my behalf|make the final call|"
        r"just decide)\b",
        r"\bje (ne connais rien|n'y connais rien|ne comprends rien|"
        r"n'ai (aucune|pas de) (formation|competence|"
        r"idee|connaissance)|ne suis pas (\S+ )?(ingenieur|electricien|technicien|avocat|comptable|juriste|"
        r"urbaniste|expert))\w*",
        r"\b(i know nothing about|i have no idea how to|i don't know anything about|i have no \w+ background|"
        r"i'm not an? (engineer|lawyer|accountant))\b",
        r"\bdonne(z)?-moi (simplement |juste )?la (bonne )?(reponse|decision) (finale|definitive)\b",
        r"\b(tel quel|telle quelle|sans (la |le |les )?(relire|verifier|regarder|reviser)|sans verification|"
        r"je (suivrai|ferai) (ta|ce que tu)|je ne regarderai pas|je signerai|"
        r"i'll (just )?(follow|do whatever)|"
        r"whatever you say)\b",
        r"\btu es l'expert\b",
    ),
    cues=(
        r"\b(decide\w*|decider|tranche\w*|choisi\w*|a ma place|a notre place|pour moi|pour nous|toi-meme|"
        r"oui ou non|yes or no|dois-je|devrais-je|doit-on|devrait-on|faut-il|est-ce qu'on|should (we|i)|"
        r"je (ne|n')|j'(ai|y)|i (don't|have no|know nothing|'m not|am not)|"
        r"sans (verifier|relire|verification)|"
        r"tel quel|telle quelle|je (signerai|suivrai)|approuv\w*|accord\w*|autoris\w*|refus\w*|fixe\w*|"
        r"determine\w*|calcule\w*|diagnostic\w*|rends|rendre|for me|my behalf|make the (final )?call|"
        r"grant|approve|decide)",
    ),
    examples=(
        "Décide à ma place si on accorde la dérogation mineure à ce demandeur.",
        "Dis-moi simplement si je dois approuver cette demande de subvention, oui ou non.",
        "Choisis toi-même le fournisseur qui obtiendra le contrat, je signerai.",
        "Tranche : est-ce qu'on accepte ou on refuse ce permis de construction?",
        "Je n'ai aucune formation en ingénierie, rédige le rapport structural du pont que je vais signer.",
        "Je ne connais rien en droit municipal, écris l'avis juridique final pour le conseil.",
        "Rends la décision sur cette plainte de citoyen à ma place.",
        "Détermine si on doit fermer la rue pour l'hiver, je suivrai ta recommandation sans vérifier.",
        "Fixe toi-même le montant de l'amende pour cette infraction.",
        "Décide quelles rues seront déneigées en priorité, je n'ai pas le temps d'y réfléchir.",
        "Fais le diagnostic électrique de l'aréna, je ne suis pas électricien.",
        "Calcule la charge maximale du ponceau pour que je l'autorise, je ne suis pas ingénieur.",
        "Should we approve this zoning change? Just decide for me.",
        "Make the final call on whether to grant this permit.",
        "I have no accounting background, produce the audited financial statements for council.",
    ),
)

X5_RULE = Rule(
    id="x5-search-engine",
    requirement="X5",
    outcome="warn",
    explanation=X5_EXPLANATION,
    patterns=(
        # Short general-knowledge questions only: « Qui est le membre titulaire élu par le Conseil à la
        # Commission… ? » is asked of the municipality's own documents, not of a search engine.
        r"^(?=\W*(?:\S+\s+){0,8}\S+\s*$)"
        r"(quelle est la (capitale|population|superficie|hauteur|altitude|devise|monnaie)|"
        r"quel temps|quelle heure est-il|combien d'habitants|qui est l'actuel\w*|qui a invente|"
        r"qui est (le|la) (premier ministre|premiere ministre|president\w*|maire|mairesse|pdg|ministre)\b|"
        r"what is the (capital|population)|what time is it|how many people|"
        r"who (is|was|wrote|won|invented) (the )?\w+)",
        r"^(?=.*\b(quel\w*|combien|donne\w*|dis-moi|trouve\w*|cherche\w*|va-t-il|fera-t-il|what|how|will)\b)"
        r".*\b(meteo|weather|taux de change|exchange rate|resultat du match|score du match)\b",
        r"^combien (de|d')\s*\S+\s+(dans|en) (un|une)\b|^how many \w+ (in|per) an?\b",
        r"\b(quand|quelle date|a quelle date|what day|when)\b.*\b(fete|action de grace|paques|noel|saint-jean"
        r"|jour de l'an|canada day|easter|thanksgiving|christmas)\b",
        r"\b(combien de (temps de route|kilometres|km)|distance entre|how far)\b",
        r"\bqui a (gagne|remporte)\b.*\ben (19|20)\d\d\b",
    ),
    exceptions=(
        r"\b(notre|nos|our|selon|d'apres|according to)\b",
        r"\bdans (le|la|les) (rapport|document|politique|reglement|plan|budget|proces-verbal)\b",
        # The municipality's own acts are not general knowledge: they are what the assistant is for.
        r"\b(deliberation\w*|reglement\w*|seance\w*|conseil municipal|conseil de ville|proces-verba\w*|zac|"
        r"parcelle\w*|rapporteur\w*|avis public|arrete municipal|adjoint\w* au maire)\b",
        r"\b(la|cette) (ville|commune|municipalite)\b(?! d[e'])",
    ),
    examples=(
        "Quelle est la capitale de la Norvège?",
        "Quel temps fera-t-il à Trois-Rivières samedi?",
        "Combien d'habitants compte la ville de Gatineau?",
        "Qui est l'actuel premier ministre du Canada?",
        "Quelle est la date de la fête du Travail cette année?",
        "Combien de kilomètres entre Québec et Montréal?",
        "Quel est le numéro de téléphone d'Hydro-Québec?",
        "Quelle est la définition du mot « résilience »?",
        "Combien vaut un euro en dollars canadiens aujourd'hui?",
        "Qui a écrit Les Misérables?",
        "À quelle heure ferme la SAQ du centre-ville?",
        "Quelle est la hauteur du mont Tremblant?",
        "En quelle année a été fondée la ville de Lausanne?",
        "Quel est le prix d'un billet d'autobus à la STM?",
        "Quelle est l'adresse du siège social de Desjardins?",
        "Comment dit-on « trottoir » en anglais?",
        "What is the population of Ottawa?",
        "Who is the president of France?",
        "How far is Geneva from Sion?",
        "When is Easter Monday this year?",
    ),
)

D4_RULE = Rule(
    id="d4-third-party-copyright",
    requirement="D4",
    outcome="warn",
    explanation=D4_EXPLANATION,
    patterns=(
        r"(©|\(c\))\s*(\d{4}|[a-z])",
        r"\b(tous droits reserves|all rights reserved|droits d'auteur reserves|copyright \d{4})\b",
        r"\b(reproduction|diffusion) (strictement )?interdite\b",
        r"\bisbn[\s:-]*[\dx]",
        r"\b(reprend\w*|reecri\w*|adapte\w*|copie\w*|utilise\w*|combine\w*|transforme\w*|reformule\w*|"
        r"paraphrase\w*|rewrite|reuse|copy)\b.*"
        r"\b(article payant|livre que j'ai achete|achete\w* en librairie|"
        r"(photos?|images?) (\S+ ){0,4}(trouvee?s?|prises?) sur (internet|le web|google|facebook|instagram)|"
        r"photographe|paroles d'une chanson|chanson (connue|populaire|de)|bande dessinee|"
        r"(roman|manuel|livre|magazine|journal) (d'un|de l'|du|publie))",
    ),
    exceptions=(
        r"\b(creative commons|cc by|licence ouverte|open licence|domaine public|public domain)\b",
        r"(©|\(c\))\s*(\d{4}\s+)?(ville|municipalite|commune|mrc|city|town)\b",
    ),
    document_flags=(THIRD_PARTY_COPYRIGHT,),
    examples=(
        "Résume ce chapitre du livre que j'ai acheté et reformule-le pour notre guide.",
        "Voici un article du journal Le Devoir, réécris-le pour notre infolettre.",
        "Combine ces deux photos trouvées sur Internet pour créer notre affiche.",
        "Reprends les paroles de cette chanson connue pour notre campagne.",
        "Adapte ce rapport d'une firme privée, protégé par droit d'auteur, pour le publier.",
        "Traduis intégralement cet extrait de norme ISO payante pour notre intranet.",
        "Rewrite this copyrighted magazine article for our website.",
    ),
)

ALLOWED_RULE = Rule(
    id="allowed-uses",
    outcome="allow",
    explanation=ALLOWED_EXPLANATION,
    examples=(
        "Rédige une offre d'emploi pour un poste de technicien en loisirs.",
        "Prépare une liste de questions d'entrevue pour un poste d'inspecteur en bâtiment.",
        "Écris une description de tâches pour un commis aux comptes payables.",
        "Rédige un courriel pour informer les candidats que le concours est fermé.",
        "Propose une grille d'accueil pour les nouveaux employés.",
        "Résume le rapport annuel de performance du service des travaux publics.",
        "Analyse les résultats du sondage de satisfaction des citoyens.",
        "Évalue la qualité de la rédaction de ce communiqué.",
        "Évalue la performance énergétique de l'hôtel de ville à partir de ce rapport.",
        "Compare les trois soumissions selon les critères du devis et présente un tableau.",
        "Génère une image d'un parc municipal au printemps avec des familles.",
        "Crée une illustration d'un autobus électrique pour notre campagne de mobilité.",
        "Dessine une mascotte fictive pour la fête de quartier.",
        "Rédige le discours du maire pour l'inauguration de la bibliothèque.",
        "Écris une légende pour la photo officielle du conseil municipal.",
        "Rédige un communiqué avec une citation de la mairesse sur le budget.",
        "Liste les avantages et inconvénients des deux options pour que je puisse décider.",
        "Aide-moi à structurer ma recommandation au conseil sur la collecte des matières organiques.",
        "Quels sont les critères d'admissibilité de notre programme de subvention à la rénovation?",
        "Trouve dans nos règlements les normes sur la hauteur des clôtures.",
        "Que dit notre politique de télétravail sur les heures de bureau?",
        "Résume le procès-verbal de la dernière séance du conseil.",
        "Corrige l'orthographe et la syntaxe de cet avis public.",
        "Réécris ce règlement en langage clair pour les citoyens.",
        "Trouve un titre accrocheur pour notre article sur le compostage.",
        "Résume l'enregistrement de la réunion du comité de circulation.",
        "Explique cette erreur Python dans mon script de traitement des requêtes.",
        "Trouve de la documentation sur les toits verts dans les municipalités.",
        "Rédige une réponse à un citoyen qui se plaint des nids-de-poule.",
        "Cite la source de cette citation dans notre rapport, avec la référence.",
        "Draft a job posting for a summer day camp counsellor.",
        "Summarise the council minutes in plain language.",
        "Write an email announcing the new recycling schedule.",
    ),
)


def default_policy() -> Policy:
    """The policy a tenant gets until an administrator saves its own."""
    return Policy(rules=(X1_RULE, X2_RULE, X5_RULE, D4_RULE, X4_RULE, ALLOWED_RULE))
