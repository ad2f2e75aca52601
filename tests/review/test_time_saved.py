"""« How much time did this save you? »: the author answers on the result's page, a manager reads the
minutes summed by task on the consumption page (G15, issue 25's usage report)."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.db import open_session
from balise.review import Output
from tests.support.web import Member, csrf_of


def _say(member: Member, output_id: str, minutes: str):  # type: ignore[no-untyped-def]
    return member.client.post(
        f"/resultats/{output_id}/temps-gagne",
        data={"csrf_token": csrf_of(member.client), "minutes": minutes},
        follow_redirects=False,
    )


def test_the_author_says_the_minutes_saved_and_the_manager_sees_them_by_task(
    make_member: Callable[..., Member], make_output: Callable[..., Output], engine: Engine
) -> None:
    author = make_member("employee")
    manager = make_member("manager", tenant=author.tenant)
    drafted = make_output(author, task="draft")
    summary = make_output(author, task="summarise")
    make_output(author, task="draft")  # nobody rated it: counted as a result, not as minutes

    page = author.client.get(f"/resultats/{drafted.id}")
    assert "Combien de minutes ce résultat vous a-t-il fait gagner" in page.text
    assert _say(author, drafted.id, "25").status_code == 303
    assert _say(author, summary.id, "10").status_code == 303
    assert _say(author, summary.id, "15").status_code == 303  # changed later: the last answer counts
    assert 'value="25"' in author.client.get(f"/resultats/{drafted.id}?temps=1").text

    report = manager.client.get("/gouvernance/consommation").text
    table = report.split('id="time-saved-table"', 1)[1].split("</table>", 1)[0]
    rows = {
        re.sub(r"<[^>]+>", "", heading).strip(): [re.sub(r"<[^>]+>", "", c) for c in cells]
        for heading, cells in (
            (row.split("</th>", 1)[0], re.findall(r"<td>(.*?)</td>", row))
            for row in table.split('<th scope="row">')[1:]
        )
    }
    assert rows["Rédactions"][:3] == ["2", "1", "25"]
    assert rows["Résumés"][:3] == ["1", "1", "15"]
    with open_session(engine) as session:
        said = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "review.time_saved", AuditEntry.tenant_id == author.tenant.id)
            .order_by(AuditEntry.seq)
        ).all()
    assert [entry.details["minutes"] for entry in said] == [25, 10, 15]


def test_a_wrong_answer_is_explained_and_nobody_else_can_answer(
    make_member: Callable[..., Member], make_output: Callable[..., Output]
) -> None:
    author = make_member("employee")
    colleague = make_member("reviewer", tenant=author.tenant)
    output = make_output(author)
    for wrong, message in (("beaucoup", "n’est pas un nombre de minutes"), ("9000", "de 0 à 480")):
        answer = _say(author, output.id, wrong)
        assert answer.status_code == 422 and message in answer.text
    refused = _say(colleague, output.id, "30")
    assert refused.status_code in (403, 404)
