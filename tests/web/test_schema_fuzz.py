"""Every operation of the OpenAPI schema, fuzzed by schemathesis in-process, signed in as an
administrator and anonymously: no input a client can send gets a 5xx.

Bounded: a few generated cases per operation (``FUZZ_EXAMPLES``), no shrinking, no stored examples.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from balise.citizen import reset_limits
from balise.web.deps import CSRF_COOKIE, SESSION_COOKIE
from tests.support.web import Member

FUZZ_EXAMPLES = int(os.environ.get("BALISE_FUZZ_EXAMPLES", "3"))
# Operations that would end the administrator's own session mid-run; they are fuzzed anonymously.
SIGNED_IN_SKIP = {("POST", "/deconnexion")}
# A 5xx that is the answer, not a failure: the readiness probe says 503 while the schema is behind.
EXPECTED = {("GET", "/readyz", 503)}
ANONYMOUS_CSRF = "fuzz-anonymous-form-token"


def _cases(operation: Any) -> st.SearchStrategy[Any]:
    """Cases that fit the schema, and cases that break it (wrong types, out-of-range values)."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )


def _run(schema: Any, who: str, cookies: dict[str, str], headers: dict[str, str], slug: str) -> list[str]:
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if who == "admin" and key in SIGNED_IN_SKIP:
            continue

        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_cases(operation), real_slug=st.booleans())
        def fuzz(case: Any, real_slug: bool) -> None:
            if real_slug and case.path_parameters and "slug" in case.path_parameters:
                case.path_parameters["slug"] = slug  # reach the municipality's code, not only its 404
            reset_limits()
            # A generous timeout: the first question loads the language models on a busy machine.
            try:
                response = case.call(headers=headers, cookies=cookies, timeout=180)
            except Exception as exc:  # the in-process client re-raises what the app's 500 handler logged
                failure = f"{type(exc).__name__}: {exc}"
                failures.append(f"{who} {case.method} {case.formatted_path} → 500 ({failure})")
                return
            if response.status_code >= 500 and (case.method, case.path, response.status_code) not in EXPECTED:
                failures.append(f"{who} {case.method} {case.formatted_path} → {response.status_code}")

        fuzz()
    return failures


def test_no_operation_answers_a_server_error(app, make_member) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app
    slug = admin.tenant.slug
    session = admin.client.cookies.get(SESSION_COOKIE)
    assert session
    page = admin.client.get("/compte/jetons").text
    marker = 'name="csrf_token" value="'
    token = page[page.index(marker) + len(marker) :].split('"', 1)[0]
    failures = _run(schema, "admin", {SESSION_COOKIE: session}, {"x-csrf-token": token}, slug)
    failures += _run(
        schema, "anonymous", {CSRF_COOKIE: ANONYMOUS_CSRF}, {"x-csrf-token": ANONYMOUS_CSRF}, slug
    )
    assert failures == []


def test_the_fuzzer_reports_a_server_error() -> None:
    """The harness itself: an operation that fails on some input is reported, not passed over."""
    from fastapi import FastAPI

    broken = FastAPI()

    @broken.get("/items/{count}")
    def items(count: int) -> dict[str, int]:
        return {"per_item": 100 // (count - count)}  # always divides by zero: a 500

    schema = schemathesis.openapi.from_dict(broken.openapi())
    schema.app = broken
    failures = _run(schema, "anonymous", {}, {}, "ville")
    assert failures and all("GET /items/" in f and "→ 500" in f for f in failures)
