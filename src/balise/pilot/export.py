"""The interim review as files (Valais guide, step 6): a standalone HTML page, a Word document and a
PDF, through the shared :mod:`balise.exports`, each naming the municipality, the period and the day
the review was issued."""

from __future__ import annotations

from balise import exports
from balise.formatting import day, number
from balise.i18n import gettext_
from balise.pilot.report import Report

EMPTY = "—"


def title() -> str:
    return gettext_("Interim review of the AI pilot")


def status_line(report: Report) -> str:
    issued = (
        gettext_("issued on {date}").format(date=day(report.review.issued_on))
        if report.review and report.review.issued_on
        else gettext_("not issued yet")
    )
    return gettext_("{municipality}, period from {start} to {end}, {issued}").format(
        municipality=report.tenant.name, start=day(report.start), end=day(report.end), issued=issued
    )


def hours(minutes: float | None) -> str:
    return EMPTY if minutes is None else number(minutes / 60, 1)


def _improvements(report: Report) -> list[exports.Part]:
    t = report.totals
    rows = [
        [
            m.process.name,
            m.process.service,
            m.process.redesign or EMPTY,
            hours(m.before),
            hours(m.after),
            hours(m.gain),
        ]
        for m in report.processes
    ]
    said = gettext_(
        "Balise's own figures over the period: {requests} requests to the AI tools; {minutes} minutes "
        "saved, as the authors of {rated} results said."
    ).format(requests=report.requests, minutes=report.minutes_said, rated=report.results_rated)
    summary = gettext_(
        "{processes} processes mapped, {redesigned} redesigned, {measured} measured after: {hours} hours "
        "saved a month on those."
    ).format(
        processes=t.processes,
        redesigned=t.redesigned,
        measured=t.measured_after,
        hours=number(t.gain_hours, 1),
    )
    header = [
        gettext_("Process"),
        gettext_("Service"),
        gettext_("Redesign"),
        gettext_("Hours a month before"),
        gettext_("Hours a month after"),
        gettext_("Hours saved a month"),
    ]
    return [
        exports.Heading(gettext_("Improvements")),
        exports.Paragraph([summary]),
        exports.Table(header, rows),
        exports.Paragraph([said]),
    ]


def _resources(report: Report) -> list[exports.Part]:
    rows = [
        [b.system, number(b.hours, 1), number(b.licences, 2), number(b.training, 2)] for b in report.budgets
    ]
    months = report.months_to_recover
    recover = (
        gettext_("At the gain measured, the staff hours invested are given back in {months} months.").format(
            months=number(months, 1)
        )
        if months is not None
        else gettext_("No gain measured after yet, or no staff hours budgeted: no comparison.")
    )
    header = [
        gettext_("AI system"),
        gettext_("Staff hours"),
        gettext_("Licences a year"),
        gettext_("Training"),
    ]
    return [
        exports.Heading(gettext_("Resources invested and gains")),
        exports.Table(header, rows)
        if rows
        else exports.Paragraph([gettext_("No adoption case has a budget.")]),
        exports.Paragraph([recover]),
    ]


def _sentiment(report: Report) -> list[exports.Part]:
    parts: list[exports.Part] = [exports.Heading(gettext_("Staff sentiment"))]
    if not report.sentiment:
        parts.append(exports.Paragraph([gettext_("No survey campaign has 5 answers or more yet.")]))
        return parts
    parts.append(
        exports.Paragraph(
            [
                gettext_("Survey « {campaign} », {answers} answers.").format(
                    campaign=report.campaign, answers=report.answers
                )
            ]
        )
    )
    parts.append(exports.Bullets([f"{s.question} {s.summary}" for s in report.sentiment]))
    return parts


def parts(report: Report) -> list[exports.Part]:
    challenges = report.review.challenges if report.review else ""
    pooled = [gettext_("Use-case card: {title}").format(title=t) for t, _saved in report.cards]
    pooled += [gettext_("Shared pack: {name}").format(name=name) for name in report.packs]
    return [
        *_improvements(report),
        *_resources(report),
        exports.Heading(gettext_("Challenges")),
        exports.Paragraph(challenges.splitlines() or [gettext_("Not written yet.")]),
        *_sentiment(report),
        exports.Heading(gettext_("What could be pooled")),
        exports.Bullets(pooled) if pooled else exports.Paragraph([gettext_("Nothing published yet.")]),
    ]


def html_document(report: Report) -> str:
    return exports.html_document(
        title(), status_line(report), parts(report), page_title=f"{title()} · {report.tenant.name}"
    )


def docx_document(report: Report) -> bytes:
    return exports.docx_document(title(), status_line(report), parts(report))


def pdf_document(report: Report) -> bytes:
    return exports.pdf_document(html_document(report))
