"""The default questionnaire, from the guides' topics for a state of play (QC preparation; CH step 1
« état des lieux »): tools already used, tasks, skills, needs, concerns, training wanted, and an
optional profile (service, age group, gender) for P7, each with « prefer not to say ».

Texts are English msgids, copied into a new campaign in the language of the person creating it; the
municipality then edits its copy before opening the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

from balise.i18n import N_

SINGLE, MULTIPLE, TEXT = "single", "multiple", "text"
KINDS: dict[str, str] = {
    SINGLE: N_("One choice"),
    MULTIPLE: N_("Several choices"),
    TEXT: N_("Free text"),
}
TOPICS: dict[str, str] = {
    "tools": N_("Tools already used"),
    "tasks": N_("Tasks"),
    "skills": N_("Skills"),
    "needs": N_("Needs"),
    "concerns": N_("Concerns"),
    "training": N_("Training wanted"),
    "profile": N_("Profile (optional)"),
}
PROFILE = "profile"
PREFER_NOT = N_("Prefer not to say")


@dataclass(frozen=True)
class Default:
    key: str
    topic: str
    kind: str
    prompt: str
    choices: tuple[str, ...] = ()


DEFAULTS: tuple[Default, ...] = (
    Default(
        "tools_used",
        "tools",
        MULTIPLE,
        N_("Which AI tools have you already used, at work or elsewhere?"),
        (
            N_("ChatGPT"),
            N_("Microsoft Copilot"),
            N_("Google Gemini"),
            N_("Le Chat (Mistral)"),
            N_("A translation tool (DeepL or another)"),
            N_("No AI tool"),
        ),
    ),
    Default(
        "frequency",
        "tools",
        SINGLE,
        N_("How often do you use AI tools for your work?"),
        (N_("Never"), N_("A few times a year"), N_("Every month"), N_("Every week"), N_("Every day")),
    ),
    Default(
        "tasks",
        "tasks",
        MULTIPLE,
        N_("Which of your tasks could AI help with?"),
        (
            N_("Writing letters and e-mails"),
            N_("Summarising documents"),
            N_("Finding information in documents"),
            N_("Translating"),
            N_("Answering residents"),
            N_("Minutes of meetings"),
            N_("None of these tasks"),
        ),
    ),
    Default("task_time", "tasks", TEXT, N_("Describe a repetitive task that takes you time.")),
    Default(
        "knowledge",
        "skills",
        SINGLE,
        N_("How do you rate your knowledge of generative AI?"),
        (N_("No knowledge"), N_("Basic"), N_("Intermediate"), N_("Advanced")),
    ),
    Default(
        "risks",
        "skills",
        SINGLE,
        N_("Do you know the risks for personal information when you use an AI tool?"),
        (N_("Yes"), N_("Partly"), N_("No")),
    ),
    Default(
        "needs",
        "needs",
        MULTIPLE,
        N_("What would you need to use AI well in your work?"),
        (
            N_("Clear rules"),
            N_("Training"),
            N_("Tools approved by the municipality"),
            N_("Examples from my field"),
            N_("Time to try"),
            N_("Nothing"),
        ),
    ),
    Default(
        "concerns",
        "concerns",
        MULTIPLE,
        N_("What concerns you about AI at work?"),
        (
            N_("Wrong answers"),
            N_("Personal information"),
            N_("Changes to my job"),
            N_("Losing skills"),
            N_("Environmental cost"),
            N_("A less human service"),
            N_("No concern"),
        ),
    ),
    Default("concerns_more", "concerns", TEXT, N_("Tell us more about your concerns, if you wish.")),
    Default(
        "training",
        "training",
        MULTIPLE,
        N_("Which training would you like?"),
        (
            N_("Introduction to generative AI"),
            N_("Writing good requests (prompts)"),
            N_("Data protection and security"),
            N_("A hands-on workshop in my service"),
            N_("No training"),
        ),
    ),
    Default(
        "format",
        "training",
        SINGLE,
        N_("Which format suits you best?"),
        (N_("A short session on site"), N_("An online module"), N_("Coaching in my team")),
    ),
    Default(
        "service",
        PROFILE,
        SINGLE,
        N_("In which service do you work?"),
        (
            N_("Administration and finance"),
            N_("Technical services and public works"),
            N_("Social services"),
            N_("Culture, sports and leisure"),
            N_("Another service"),
            PREFER_NOT,
        ),
    ),
    Default(
        "age",
        PROFILE,
        SINGLE,
        N_("Your age group"),
        (N_("Under 30"), N_("30 to 44"), N_("45 to 59"), N_("60 and over"), PREFER_NOT),
    ),
    Default(
        "gender",
        PROFILE,
        SINGLE,
        N_("Your gender"),
        (N_("Woman"), N_("Man"), N_("Another identity"), PREFER_NOT),
    ),
)
