"""Checking a password without letting a guesser lock the owner out.

Failures are counted per (account, address) and per address, never per account alone: five wrong
passwords typed by someone else must not keep the real owner, signing in from their own desk, out.
Past the allowance (``login_attempts_per_15_min`` for one account, ten times it for a whole address
in 15 minutes), the address waits before its next try, and the wait doubles with each further
failure (1, 2, 4… minutes, at most a day). The owner is told of the failures at their next sign-in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from balise.db.base import utcnow
from balise.errors import BaliseError
from balise.tenancy.models import LoginAttempt, User
from balise.tenancy.passwords import hash_password, needs_rehash, verify_nobody, verify_password

MEMORY = timedelta(hours=24)
"""How long a failure counts; also the longest wait."""
OFFICE_FACTOR = 10
"""A whole office may share one address: it gets ten times the allowance of one account…"""
OFFICE_WINDOW = timedelta(minutes=15)
"""…counted over a quarter of an hour, so that a day of ordinary typos does not slow the office down."""
NOTICE_THRESHOLD = 3
"""From this many failures since their last sign-in, the owner is told (one typo is not news)."""


class LoginThrottled(BaliseError):
    status = 429
    code = "throttled"

    def __init__(self, retry_at: datetime) -> None:
        seconds = max(1, math.ceil((retry_at - utcnow()).total_seconds()))
        super().__init__(
            "Too many failed attempts from your address. Try again in {minutes} minute(s), at {time} UTC; "
            "each further failure doubles the wait. If you forgot your password, ask your administrator.",
            minutes=math.ceil(seconds / 60),
            time=retry_at.strftime("%H:%M"),
        )
        self.retry_after = seconds


class BadCredentials(BaliseError):
    status = 401
    code = "bad_credentials"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def _wait_until(failures: int, last: datetime | None, allowance: int) -> datetime | None:
    """When an address may try again after ``failures`` (None: now): 2^(failures - allowance) minutes."""
    if last is None or failures < allowance:
        return None
    minutes = min(2 ** (failures - allowance), MEMORY.total_seconds() / 60)
    until = _aware(last) + timedelta(minutes=minutes)
    return until if until > utcnow() else None


def _failures(session: Session, *conditions: object) -> tuple[int, datetime | None]:
    row = session.execute(
        select(func.count(), func.max(LoginAttempt.created_at)).where(*conditions)  # type: ignore[arg-type]
    ).one()
    return int(row[0] or 0), row[1]


def retry_at(session: Session, email: str, client: str, allowance: int) -> datetime | None:
    """The moment this address may next try this account, if it must wait."""
    pair = _wait_until(
        *_failures(session, LoginAttempt.email == email, LoginAttempt.client == client), allowance
    )
    recent = LoginAttempt.created_at >= utcnow() - OFFICE_WINDOW
    office = _wait_until(
        *_failures(session, LoginAttempt.client == client, recent), allowance * OFFICE_FACTOR
    )
    waits = [w for w in (pair, office) if w is not None]
    return max(waits) if waits else None


@dataclass(frozen=True)
class FailureNotice:
    """Failed attempts on the account since its owner last signed in, told to them now."""

    count: int
    last: datetime


def authenticate(session: Session, email: str, password: str, *, client: str, limit: int) -> User:
    """Check a sign-in; an address past ``limit`` failures for this account waits, doubling each time.

    A refused try is not checked at all, so a waiting guesser learns nothing, and it is not counted,
    so the wait does not grow while nobody types.
    """
    email = email.strip().lower()
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - MEMORY))
    wait = retry_at(session, email, client, limit)
    if wait is not None:
        session.commit()
        raise LoginThrottled(wait)
    user = session.scalars(select(User).where(User.email == email)).first()
    valid = (
        verify_password(user.password_hash, password) and user.active
        if user is not None
        else verify_nobody(password)
    )
    if user is None or not valid:
        session.add(LoginAttempt(email=email, client=client))
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            user.failed_login_at = utcnow()
        session.commit()
        raise BadCredentials("Wrong e-mail or password. Check both and try again.")
    # The right password from this address: its earlier typos no longer count against it.
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.client == client))
    if needs_rehash(user.password_hash):  # hashed with older parameters: upgrade while we have it
        user.password_hash = hash_password(password)
    session.flush()
    return user


def take_failure_notice(user: User) -> FailureNotice | None:
    """The failures to tell the owner about at this sign-in, once; the counter starts again."""
    count, last = user.failed_logins or 0, user.failed_login_at
    user.failed_logins, user.failed_login_at = 0, None
    if count < NOTICE_THRESHOLD or last is None:
        return None
    return FailureNotice(count, _aware(last))
