"""Reminders and notices by email: the store's facts at `now`, who should be told what
(decided in `hub.rules.notices`), each new notice queued once with its message rendered in
the zone it is about, then sent through the mail server with retries, every attempt
recorded. `run` is the whole job, a function of the store and `now`: `hub notify` calls it
every minute (depotclock-hub-notify.timer, installed by `depotclock install hub`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.mail.messages import render
from hub.mail.smtp import MailError, SmtpMailer
from hub.rules import notices as rules
from hub.rules.approval import WeekState
from hub.rules.device_presence import Presence, presence
from hub.rules.findings import TimesheetException
from hub.rules.notices import Facts, Notice, NoticeKind, Recipient
from hub.rules.pay_period import pay_period
from hub.rules.policy import PayPeriodPolicy
from hub.rules.workweek import weeks_of
from hub.services import approvals, live_board
from hub.services.problems import Invalid
from hub.services.records import timesheets
from hub.settings import HubSettings, PayrollSettings, SmtpSettings
from hub.store.devices_heard import devices_heard
from hub.store.models import (
    Depot,
    Notification,
    NotificationPreference,
    Technician,
    TimesheetApproval,
    User,
    UserDepot,
)
from hub.translations import DEFAULT as DEFAULT_LANGUAGE

BATCH = 200  # the most messages one run sends; the rest go on the next


@dataclass(frozen=True)
class RunTotals:
    queued: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, tried again later
    failed: int = 0  # given up: refused for good, or out of attempts
    waiting: int = 0  # queued and not sent: no mail server set, or a retry not yet due


def recipients(session: Session) -> list[Recipient]:
    """Active users with an email address, each with the kinds they did not turn off (the
    rules keep to those their role is offered)."""
    off = {(user_id, kind) for user_id, kind in session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind).where(NotificationPreference.wanted.is_(False)))}
    depots: dict[int, set[str]] = defaultdict(set)
    for user_id, depot in session.execute(select(UserDepot.user_id, UserDepot.depot_id)):
        depots[user_id].add(depot)
    users = session.scalars(select(User).where(User.active, User.email.is_not(None)).order_by(User.id))
    return [Recipient(u.id, u.email or "", u.role, u.technician_id,
                      None if u.role == "admin" else frozenset(depots[u.id]),
                      frozenset(k for k in NoticeKind if (u.id, k.value) not in off))
            for u in users]


def _wanting(people: list[Recipient], kind: NoticeKind) -> list[str]:
    return sorted({r.technician_id for r in people if r.technician_id and kind in r.kinds})


def _decided(session: Session, *where) -> list[tuple[str, date]]:
    """(technician, week) of the weeks with a decision matching `where`, in week order."""
    return sorted({(t, w) for t, w in session.execute(
        select(TimesheetApproval.technician_id, TimesheetApproval.week_start).where(*where))}, key=lambda k: (k[1], k[0]))


def _states(session: Session, payroll: PayrollSettings,
            weeks: list[tuple[str, date]]) -> list[tuple[str, date, WeekState]]:
    return [(t, w, approvals.week_state(session, payroll, t, w)) for t, w in weeks]


def facts(session: Session, settings: HubSettings, people: list[Recipient], now: datetime) -> Facts:
    """What the rules need, read only for the kinds somebody receives."""
    payroll = settings.payroll
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    recent = now - timedelta(days=settings.notices.lookback_days)
    shifts: tuple[rules.OpenShift, ...] = ()
    if ids := _wanting(people, NoticeKind.SHIFT_OPEN):
        shifts = tuple(rules.OpenShift(t, at) for t, at in live_board.open_shifts(session, payroll, ids, now).items())
    exceptions: tuple[tuple[str, TimesheetException], ...] = ()
    if ids := _wanting(people, NoticeKind.MISSING_PUNCH):
        first = recent.astimezone(ZoneInfo(settings.timezone)).date()
        exceptions = tuple((found.technician.id, e) for found in timesheets(session, payroll, first, today, ids, as_of=now)
                           for e in found.timesheet.exceptions
                           if e.code in rules.MISSING_PUNCH_CODES and recent <= e.at <= now)
    returned: tuple[rules.ReturnedWeek, ...] = ()
    if ids := _wanting(people, NoticeKind.WEEK_RETURNED):
        rejected = _decided(session, TimesheetApproval.technician_id.in_(ids), TimesheetApproval.decision == "rejected",
                            TimesheetApproval.decided_at >= recent)
        returned = tuple(rules.ReturnedWeek(t, week, s.rejection.decided_at, s.rejection.reason)
                         for t, week, s in _states(session, payroll, rejected)
                         if s.rejection is not None and not (s.submitted or s.approved) and s.rejection.decided_at >= recent)
    period: tuple[date, date] | None = None
    waiting: tuple[rules.WaitingWeek, ...] = ()
    if any(NoticeKind.WEEKS_WAITING in r.kinds for r in people):
        policy = PayPeriodPolicy(payroll.pay_period, payroll.period_anchor)
        period = pay_period(pay_period(today, policy)[0] - timedelta(days=1), policy)
        weeks = weeks_of(*period, payroll.week_start_day)
        techs = {t.id: t for t in session.scalars(select(Technician).where(Technician.active, Technician.tracks_time))}
        acted_on = _decided(session, TimesheetApproval.technician_id.in_(list(techs)),
                            TimesheetApproval.week_start.in_(weeks))
        waiting = tuple(rules.WaitingWeek(t, techs[t].name, techs[t].home_depot_id, week, s.pending or "")
                        for t, week, s in _states(session, payroll, acted_on)
                        if s.pending in approvals.levels(payroll) and (s.submitted or s.approved))
    silent: tuple[rules.SilentDevice, ...] = ()
    if any(NoticeKind.DEVICE_OFFLINE in r.kinds for r in people):
        limits = settings.monitoring.presence_policy()
        silent = tuple(rules.SilentDevice(d.kind, d.device_id, d.name, d.depot_id, d.heard.last_seen)
                       for d in devices_heard(session)
                       if d.heard.last_seen is not None and presence(d.heard, limits, now) is Presence.OFFLINE)
    return Facts(shifts, exceptions, returned, period, waiting, silent)


def _context(session: Session, settings: HubSettings, notice: Notice, usernames: dict[int, str]) -> dict[str, object]:
    """What a notice's template shows, with the zone its times are read in."""
    context: dict[str, object] = {**notice.about, "user": usernames[notice.user_id], "zone": settings.timezone,
                                  "hub_url": (settings.notices.hub_url or "").rstrip("/")}
    if "technician_id" in notice.about:
        technician = session.get_one(Technician, str(notice.about["technician_id"]))
        context.update(technician=technician.name, zone=technician.payroll_timezone)
    elif notice.kind is NoticeKind.DEVICE_OFFLINE:
        device = notice.about["device"]
        assert isinstance(device, rules.SilentDevice)
        depot = session.get_one(Depot, device.depot_id)
        context.update(depot=depot.name, zone=depot.timezone)
    return context


def queue(session: Session, settings: HubSettings, now: datetime) -> list[Notification]:
    """Queue each notice due at `now` that was not queued before (one per user and key)."""
    people = recipients(session)
    due = rules.notices(facts(session, settings, people, now), people,
                        timedelta(hours=settings.open_shift_notice_h), now)
    if not due:
        return []
    known = {(user_id, key) for user_id, key in session.execute(
        select(Notification.user_id, Notification.key).where(Notification.key.in_({n.key for n in due})))}
    usernames = {user_id: name for user_id, name in session.execute(
        select(User.id, User.username).where(User.id.in_({n.user_id for n in due})))}
    # each message in its reader's language: a technician's own choice, else English
    languages = {user_id: language for user_id, language in session.execute(
        select(User.id, Technician.language).join(Technician, Technician.id == User.technician_id)
        .where(User.id.in_({n.user_id for n in due}), Technician.language.is_not(None)))}
    rows = []
    for notice in due:
        if (notice.user_id, notice.key) in known:
            continue
        known.add((notice.user_id, notice.key))
        message = render(notice.kind.value, _context(session, settings, notice, usernames),
                         languages.get(notice.user_id) or DEFAULT_LANGUAGE)
        rows.append(Notification(user_id=notice.user_id, kind=notice.kind.value, key=notice.key, email=notice.email,
                                 subject=message.subject, body_text=message.text, body_html=message.html,
                                 created_at=now, status="pending", attempts=0, next_attempt_at=now))
    session.add_all(rows)
    session.flush()
    return rows


def _email(row: Notification, domain: str, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["To"] = row.email
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<depotclock-notice-{row.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def _attempted(row: Notification, error: MailError | None, smtp: SmtpSettings, now: datetime) -> str:
    """Record one attempt at `row`: sent, retrying or failed (what it returns)."""
    row.attempts += 1
    row.last_attempt_at = now
    if error is None:
        row.status, row.sent_at, row.next_attempt_at, row.error = "sent", now, None, None
    elif error.final or row.attempts >= smtp.max_attempts:
        row.status, row.next_attempt_at, row.error = "failed", None, str(error)[:500]
    else:
        row.next_attempt_at, row.error = rules.next_attempt(row.attempts, smtp.retry_pauses, now), str(error)[:500]
        return "retrying"
    return row.status


def deliver(session: Session, smtp: SmtpSettings, mailer: SmtpMailer, now: datetime) -> dict[str, int]:
    """Send the queued messages due at `now`, oldest first; each outcome is committed as
    soon as it is known, so a crash after a send never sends it again."""
    rows = list(session.scalars(select(Notification).where(
        Notification.status == "pending", Notification.next_attempt_at <= now).order_by(Notification.id).limit(BATCH)))
    outcomes: dict[str, int] = defaultdict(int)
    if not rows:
        return outcomes
    domain = smtp.from_address.email.rpartition("@")[2] if smtp.from_address else "depotclock.invalid"
    try:
        server = mailer.open()
    except MailError as unreachable:
        for row in rows:
            outcomes[_attempted(row, unreachable, smtp, now)] += 1
        session.commit()
        return outcomes
    try:
        for row in rows:
            error = None
            try:
                mailer.send(server, _email(row, domain, now))
            except MailError as refused:
                error = refused
            outcomes[_attempted(row, error, smtp, now)] += 1
            session.commit()
    finally:
        mailer.close(server)
    return outcomes


def run(session: Session, settings: HubSettings, mailer: SmtpMailer | None, now: datetime) -> RunTotals:
    """The job: queue what is due, send what can be sent (nothing without a mail server)."""
    queued = queue(session, settings, now)
    session.commit()
    outcomes = deliver(session, settings.smtp, mailer, now) if mailer is not None else {}
    waiting = session.scalar(select(func.count()).where(Notification.status == "pending")) or 0
    return RunTotals(len(queued), outcomes.get("sent", 0), outcomes.get("retrying", 0), outcomes.get("failed", 0),
                     waiting)


def choices(user: User, session: Session) -> list[tuple[NoticeKind, str, bool]]:
    """The kinds the user's role is offered, each with its words and whether they receive it."""
    off = set(session.scalars(select(NotificationPreference.kind).where(
        NotificationPreference.user_id == user.id, NotificationPreference.wanted.is_(False))))
    return [(kind, rules.WORDS[kind], kind.value not in off) for kind in rules.offered(user.role, user.technician_id)]


def choose(session: Session, user: User, wanted: Iterable[str]) -> None:
    """Receive exactly the `wanted` kinds of those offered (the others are turned off)."""
    offered = rules.offered(user.role, user.technician_id)
    wanted = list(wanted)
    unknown = [w for w in wanted if w not in {k.value for k in offered}]
    if len(wanted) > len(NoticeKind) or unknown:
        shown = ", ".join(repr(w[:40]) for w in unknown[:3])
        raise Invalid("notices", f"choose among the notices listed (not {shown or 'so many'})")
    for kind in offered:
        session.merge(NotificationPreference(user_id=user.id, kind=kind.value, wanted=kind.value in wanted))
    session.flush()


def sent_log(session: Session, limit: int = 200) -> list[tuple[Notification, str]]:
    """The latest notices with whom each went to, newest first."""
    rows = session.execute(select(Notification, User.username).join(User, User.id == Notification.user_id)
                           .order_by(Notification.id.desc()).limit(limit))
    return [(row, name) for row, name in rows]
