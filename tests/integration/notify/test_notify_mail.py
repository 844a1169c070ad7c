"""Reminders and notices reach a real SMTP server (aiosmtpd): each once, in the zone of
whom or what it is about, in words; a server that is down is tried again after a pause,
a 5xx refusal is recorded and not retried; each user's choices respected."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from depotclock.cli import main
from depotclock.mosquitto import free_port
from hub.mail.smtp import SmtpMailer
from hub.services import accounts, notices
from hub.settings import HubSettings, SmtpSettings
from hub.store.engine import make_engine, session_factory
from hub.store.models import Notification, TimesheetApproval, User
from tests.integration.notify.mail_server import mail_server
from tests.integration.web.company import NOW, seed

LATER = NOW + timedelta(hours=6)  # 20:00 in Chicago: Maria's 07:00 shift is 13 hours open, the kiosk silent 6 hours


def _settings(url: str, port: int) -> HubSettings:
    return HubSettings(database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", timezone="America/Chicago",
                       smtp=SmtpSettings(host="127.0.0.1", port=port, security="none", timeout_s=5,
                                         from_address="DepotClock <depotclock@example.com>"))


@pytest.fixture
def company(migrated_url):
    """The web tests' company, with email addresses and a week in each approval state:
    Maria's week of Mar 02 sent back; her week of Feb 23 (the period that ended Mar 01)
    submitted and waiting for a supervisor."""
    seed(migrated_url)
    engine = make_engine(migrated_url)
    with session_factory(engine).begin() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        for name, address in (("maria", "maria@example.com"), ("sam", "sam@example.com"), ("ada", "ada@example.com")):
            accounts.set_email(session, users[name], address)
        notices.choose(session, users["sam"], ["weeks_waiting"])  # no device notices for Sam
        maria, sam = users["maria"].id, users["sam"].id
        session.add_all([
            TimesheetApproval(technician_id="T-100", week_start=date(2026, 2, 23), level="technician",
                              decision="submitted", decided_by=maria, decided_at=NOW - timedelta(days=3)),
            TimesheetApproval(technician_id="T-100", week_start=date(2026, 3, 2), level="technician",
                              decision="submitted", decided_by=maria, decided_at=NOW - timedelta(hours=2)),
            TimesheetApproval(technician_id="T-100", week_start=date(2026, 3, 2), level="supervisor",
                              decision="rejected", decided_by=sam, decided_at=NOW, reason="Tuesday has no clock-out"),
        ])
    yield migrated_url
    engine.dispose()


def _run(url: str, settings: HubSettings, now):
    engine = make_engine(url)
    with session_factory(engine)() as session:
        totals = notices.run(session, settings, SmtpMailer(settings.smtp), now)
    engine.dispose()
    return totals


def _recorded(url: str) -> list[Notification]:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        rows = list(session.scalars(select(Notification).order_by(Notification.id)))
        session.expunge_all()
    engine.dispose()
    return rows


def test_each_notice_reaches_its_reader_once_in_local_time_and_words(company):
    port = free_port()
    controller, inbox = mail_server(port)
    settings = _settings(company, port)
    try:
        first = _run(company, settings, LATER)
        again = _run(company, settings, LATER + timedelta(minutes=1))
    finally:
        controller.stop()
    assert (first.queued, first.sent, first.failed, first.waiting) == (6, 6, 0, 0)
    assert (again.queued, again.sent) == (0, 0)  # the same notices are not sent twice
    assert {(n.email, n.kind) for n in _recorded(company)} == {
        ("maria@example.com", "shift_open"), ("maria@example.com", "missing_punch"),
        ("maria@example.com", "week_returned"), ("sam@example.com", "weeks_waiting"),
        ("ada@example.com", "weeks_waiting"), ("ada@example.com", "device_offline")}
    assert len(inbox.messages) == 6
    subjects = {m["Subject"] for m in inbox.to("maria@example.com")}
    assert subjects == {"Still clocked in since Wed Mar 04, 07:00 CST",
                        "Your timesheet of Tue Mar 03: missing clock-out",
                        "Your week of Mon Mar 02 was sent back"}
    returned = next(m for m in inbox.to("maria@example.com") if "sent back" in m["Subject"])
    assert "Tuesday has no clock-out" in returned.get_body(("plain",)).get_content()
    (device,) = [m for m in inbox.to("ada@example.com") if "offline" in m["Subject"]]
    assert device["Subject"] == "Kiosk North door (North Depot) offline since Wed Mar 04, 13:59 CST"
    (waiting,) = inbox.to("sam@example.com")
    assert waiting["Subject"] == "1 week of the pay period Mon Feb 16 – Sun Mar 01 waiting for approval"
    assert "Maria Lopez, week of Mon Feb 23: waiting for a supervisor" in waiting.get_body(("plain",)).get_content()
    assert "<td>Maria Lopez</td>" in waiting.get_body(("html",)).get_content()
    assert all("_" not in m["Subject"] for m in inbox.messages)  # words, not codes


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)
def test_a_server_down_is_tried_again_after_a_pause_and_a_refusal_is_final(company):
    engine = make_engine(company)
    with session_factory(engine).begin() as session:
        accounts.set_email(session, session.scalars(select(User).where(User.username == "ada")).one(),
                           "refused-ada@example.com")
    engine.dispose()
    port = free_port()  # nothing listens yet
    settings = _settings(company, port)
    down = _run(company, settings, LATER)
    assert (down.queued, down.sent, down.retrying) == (6, 0, 6)
    rows = _recorded(company)
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {("pending", 1, LATER + timedelta(seconds=60))}
    assert all(r.error.startswith("cannot reach the mail server 127.0.0.1") for r in rows)
    assert _run(company, settings, LATER + timedelta(seconds=30)).retrying == 0  # its pause is not over
    controller, inbox = mail_server(port)
    try:
        up = _run(company, settings, LATER + timedelta(seconds=61))
        later = _run(company, settings, LATER + timedelta(hours=1))
    finally:
        controller.stop()
    assert (up.sent, up.failed, up.retrying, later.sent, later.failed) == (4, 2, 0, 0, 0)
    refused = [r for r in _recorded(company) if r.email.startswith("refused")]
    assert {(r.status, r.attempts, r.next_attempt_at) for r in refused} == {("failed", 2, None)}
    assert all("550 5.1.1 No such mailbox here" in r.error for r in refused)
    assert len(inbox.messages) == 4 and not inbox.to("refused-ada@example.com")


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)
def test_hub_notify_without_a_mail_server_records_what_is_due_and_sends_nothing(company, tmp_path):
    """Today the seeded kiosk has been silent for months: Ada (admin) is told; Sam turned
    device notices off."""
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{company}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "notify"])
    assert result.exit_code == 0, result.output
    assert "queued 1, sent 0" in result.output and "no smtp.host set: nothing is sent" in result.output
    assert [(n.email, n.kind, n.status, n.attempts) for n in _recorded(company)] == [
        ("ada@example.com", "device_offline", "pending", 0)]
