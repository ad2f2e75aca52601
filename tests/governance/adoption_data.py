"""A complete adoption case and a complete vendor assessment, as forms, for the tests of the gates."""

from __future__ import annotations

from balise.governance.vendors import CRITERIA

CASE = {
    "objectives": "Répondre plus vite aux questions sur les permis.",
    "need": "Le service reçoit 400 appels par mois sur les mêmes sujets.",
    "alternatives": "Une FAQ améliorée; ne rien changer; un agent d’un fournisseur étranger.",
    "budget_licences": "1 200",
    "budget_hours": "80",
    "budget_training": "1500,50",
    "success_measures": "Temps de réponse; satisfaction; plaintes.",
    "environmental_cost": "Environ 2 kWh par an selon la page de consommation.",
    "acceptability_method": "Sondage auprès de 300 résidents.",
    "acceptability_result": "72 % favorables si une personne reste joignable.",
    "staff_autonomy": "Le personnel relit et décide.",
    "staff_workload": "Moins de recherches répétitives.",
    "dehumanisation": "Le contact humain reste offert à chaque écran.",
    "public_service": "Réponses le soir et la fin de semaine.",
    "council_date": "2026-03-02",
    "council_resolution": "CM-2026-031",
}
VENDOR = {
    "name": "Fournisseur québécois",
    "hosting": "quebec",
    "jurisdiction": "Québec; droit québécois.",
    "training_reuse": "no",
    "retention": "Aucune conservation après la réponse.",
    "certifications": "ISO 27001.",
    "subcontractors": "Aucun.",
    "export_formats": "JSON, CSV.",
    "exit_clause": "Préavis de 30 jours, exportation complète, suppression attestée.",
    "openai_compatible": "yes",
    "interoperability": "API compatible OpenAI; formats ouverts.",
    "price": "500 $ par mois, fixe.",
    **{f"score_{c.key}": "3" for c in CRITERIA},
}
