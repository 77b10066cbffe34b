"""Delivering the outbox through apprise: claimed, sent, every attempt recorded, failures
retried with exponential backoff; a target that keeps failing makes its watch degraded."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import apprise
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from archive.db import session_scope
from archive.models import Notification, NotificationAttempt, Watch, utcnow
from watches.targets import redact

log = logging.getLogger("parkwatch.watches")

BACKOFF = timedelta(seconds=60)  # after the first failure; doubled each time
MAX_BACKOFF = timedelta(hours=6)
MAX_ATTEMPTS = 12  # then the message is given up ("failed"), still shown on the watch
DEGRADE_AFTER = 3  # consecutive failed attempts of one target that make its watch degraded
CLAIM = timedelta(minutes=5)  # a claimed message is not sent by another process meanwhile
SEND_TIMEOUT = 10  # seconds; apprise's own connect/read timeout per target


def send(target: str, title: str, body: str) -> str | None:
    """Send one message; None when delivered, else the reason (one line)."""
    notifier = apprise.Apprise()
    if not notifier.add(target):
        return f"not a notification URL apprise knows: {redact(target)}"
    with apprise.LogCapture(level=logging.WARNING) as captured:
        ok = bool(notifier.notify(body=body, title=title))
    if ok:
        return None
    lines = [line.split(" - ", 2)[-1] for line in captured.getvalue().splitlines() if line]
    return (lines[-1] if lines else "delivery failed")[:500]


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, BACKOFF * 2 ** max(0, attempts - 1))


def _claim(url: str, now: datetime, limit: int) -> list[tuple[int, str, str, str, int]]:
    with session_scope(url, write=True) as session:
        rows = session.execute(
            select(Notification.id, Notification.target, Notification.title,
                   Notification.body, Notification.attempts)
            .where(Notification.status == "pending", Notification.next_attempt_at <= now)
            .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True)).all()
        if rows:
            session.execute(update(Notification).where(
                Notification.id.in_([r[0] for r in rows])).values(next_attempt_at=now + CLAIM))
        return [tuple(r) for r in rows]


def deliver_due(url: str, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every pending message that is due; returns counts of sent and failed."""
    now = now or utcnow()
    counts = {"sent": 0, "failed": 0, "given_up": 0}
    for notification_id, target, title, body, attempts in _claim(url, now, limit):
        error = send(target, title, body)
        attempts += 1
        with session_scope(url, write=True) as session:
            note = session.get(Notification, notification_id)
            if note is None:  # its watch was removed meanwhile
                continue
            session.add(NotificationAttempt(notification_id=notification_id, at=utcnow(),
                                            ok=error is None, error=error))
            note.attempts = attempts
            if error is None:
                note.status, note.sent_at, note.last_error = "sent", utcnow(), None
                counts["sent"] += 1
                continue
            note.last_error = error
            counts["failed"] += 1
            if attempts >= MAX_ATTEMPTS:
                note.status = "failed"
                counts["given_up"] += 1
            else:
                note.next_attempt_at = now + backoff(attempts)
            log.warning("notification %s (%s) attempt %d failed: %s", notification_id,
                        note.title[:60], attempts, error)
    return counts


def watch_health(session: Session, watch_id: int) -> dict[str, Any]:
    """`ok` or `degraded` (a target's last DEGRADE_AFTER attempts all failed), with the
    outbox counts and reasons naming the (redacted) target and its last error."""
    states = dict(session.execute(
        select(Notification.status, func.count()).where(Notification.watch_id == watch_id)
        .group_by(Notification.status)).all())
    watch = session.get(Watch, watch_id)
    reasons = []
    for target in (watch.targets if watch else None) or []:
        recent = session.execute(
            select(NotificationAttempt.ok, NotificationAttempt.error)
            .join(Notification, Notification.id == NotificationAttempt.notification_id)
            .where(Notification.watch_id == watch_id, Notification.target == target)
            .order_by(NotificationAttempt.id.desc()).limit(DEGRADE_AFTER)).all()
        if len(recent) >= DEGRADE_AFTER and not any(ok for ok, _ in recent):
            reasons.append(f"{redact(target)}: the last {DEGRADE_AFTER} deliveries failed "
                           f"({recent[0][1]})")
    if states.get("failed"):
        reasons.append(f"{states['failed']} notification(s) given up after "
                       f"{MAX_ATTEMPTS} attempts")
    return {"health": "degraded" if reasons else "ok", "reasons": reasons,
            "pending": states.get("pending", 0), "sent": states.get("sent", 0),
            "given_up": states.get("failed", 0)}


def attempts_of(session: Session, watch_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The watch's latest delivery attempts, newest first."""
    rows = session.execute(
        select(NotificationAttempt, Notification.target, Notification.title)
        .join(Notification, Notification.id == NotificationAttempt.notification_id)
        .where(Notification.watch_id == watch_id)
        .order_by(NotificationAttempt.id.desc()).limit(limit)).all()
    return [{"at": a.at.isoformat() if a.at else None, "ok": a.ok, "error": a.error,
             "target": redact(target), "title": title} for a, target, title in rows]
