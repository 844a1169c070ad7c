"""Sending one message through the company's SMTP server (stdlib smtplib), with its
failures sorted into those worth another attempt and those that are final."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from depotclock.errors import DepotClockError
from hub.settings import SmtpSettings


class MailError(DepotClockError):
    """A message was not accepted. `final`: the server refused it for good (a 5xx reply),
    so trying again would only be refused again."""

    def __init__(self, message: str, final: bool):
        super().__init__(message)
        self.final = final


def _reply(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {said}".strip()


class SmtpMailer:
    """Sends through the server of `settings` (smtp.host set), one connection per batch."""

    def __init__(self, settings: SmtpSettings):
        if settings.host is None or settings.from_address is None:
            raise DepotClockError("smtp.host and smtp.from_address are needed to send mail")
        self.settings = settings
        self.sender = str(settings.from_address)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.host is not None  # checked in __init__
        context = ssl.create_default_context(cafile=s.ca_file)
        server: smtplib.SMTP
        if s.security == "ssl":
            server = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s, context=context)
        else:
            server = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
        try:
            if s.security == "starttls":
                server.ehlo()
                if not server.has_extn("starttls"):
                    raise MailError(f"the mail server {s.host}:{s.port} does not offer STARTTLS: set smtp.security "
                                    "to ssl (implicit TLS, port 465) or none", final=False)
                server.starttls(context=context)
            if s.username is not None and s.password is not None:
                server.login(s.username, s.password.get_secret_value())
        except BaseException:
            server.close()
            raise
        return server

    def open(self) -> smtplib.SMTP:
        """A connection, logged in; MailError (not final) when the server cannot be reached."""
        try:
            return self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"the mail server refused the login: {_reply(exc.smtp_code, exc.smtp_error)}", final=False) from None
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"the mail server said {_reply(exc.smtp_code, exc.smtp_error)}", final=False) from None
        except smtplib.SMTPException as exc:  # before OSError, which it is
            raise MailError(f"the mail server {self.settings.host}:{self.settings.port} failed: {exc}",
                            final=False) from None
        except OSError as exc:
            raise MailError(f"cannot reach the mail server {self.settings.host}:{self.settings.port}: {exc}",
                            final=False) from None

    def send(self, server: smtplib.SMTP, message: EmailMessage) -> None:
        """Hand `message` to the server; MailError, final on a 5xx refusal."""
        message["From"] = self.sender
        try:
            server.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise MailError(f"the mail server refused the address: {_reply(code, text)}", final=code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"the mail server said {_reply(exc.smtp_code, exc.smtp_error)}",
                            final=exc.smtp_code >= 500) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"the connection to the mail server failed: {exc}", final=False) from None

    @staticmethod
    def close(server: smtplib.SMTP) -> None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
