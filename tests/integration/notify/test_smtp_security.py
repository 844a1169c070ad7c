"""The SMTP adapter against a real server (aiosmtpd) that takes logins over TLS only:
STARTTLS and implicit TLS with a private CA (smtp.ca_file), a wrong password refused
with the server's words and tried again later (not final), no STARTTLS offered said so."""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from depotclock.mosquitto import free_port
from hub.mail.smtp import MailError, SmtpMailer
from hub.settings import SmtpSettings
from tests.integration.broker.certificates import make_ca_and_server
from tests.integration.notify.mail_server import Inbox


def _login(server, session, envelope, mechanism, auth_data):
    # handled=False: aiosmtpd answers a failure with its 535 itself
    return AuthResult(success=auth_data.login == b"depotclock" and auth_data.password == b"s3cret-relay", handled=False)


@pytest.fixture
def tls(tmp_path):
    cafile, certfile, keyfile = make_ca_and_server(tmp_path / "tls", "Mail relay")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    return cafile, context


def _mailer(port: int, security: str, cafile, password: str = "s3cret-relay") -> SmtpMailer:
    return SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, security=security, ca_file=cafile, timeout_s=5,
                                   username="depotclock", password=password,
                                   from_address="DepotClock <depotclock@example.com>"))


def _message() -> EmailMessage:
    message = EmailMessage()
    message["To"], message["Subject"] = "sam@example.com", "Kiosk North door offline"
    message.set_content("…")
    return message


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_login_over_tls_sends_and_a_wrong_password_is_refused_for_now(tls, security):
    cafile, context = tls
    port, inbox = free_port(), Inbox()
    tls_options = {"tls_context": context, "require_starttls": True} if security == "starttls" else {
        "ssl_context": context, "auth_require_tls": False}  # aiosmtpd counts STARTTLS only as TLS
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_required=True,
                            **tls_options)
    controller.start()
    try:
        mailer = _mailer(port, security, cafile)
        server = mailer.open()
        mailer.send(server, _message())
        mailer.close(server)
        with pytest.raises(MailError, match="refused the login: 535") as refused:
            _mailer(port, security, cafile, password="wrong-password").open()
        assert not refused.value.final
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.to("sam@example.com")] == ["Kiosk North door offline"]
    assert inbox.messages[0]["From"] == "DepotClock <depotclock@example.com>"


def test_a_server_without_starttls_is_named(tls):
    port = free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(MailError, match="does not offer STARTTLS: set smtp.security"):
            _mailer(port, "starttls", tls[0]).open()
    finally:
        controller.stop()
