"""Mosquitto configuration for a depot: password file, per-device ACL, no anonymous access.

Each device logs in with its own id as username and may only publish its own topics and
read its own depot's roster and its own receipts; the hub account reads and writes the whole tree.
The broker takes each client's username as its client id (`use_username_as_clientid`), so
no account can connect under another's client id and knock it off the broker; each ingest
process therefore logs in under a name of its own (`ingest_logins`), with the hub's password. Passwords are
hashed here the way `mosquitto_passwd` does, so the hub can keep hashes and never the
passwords themselves.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, Protocol

from depotclock.errors import DepotClockError
from depotclock.wire.topics import PREFIX, kiosk_topic, receipt_topic, roster_topic, vehicle_topic

Role = Literal["hub", "kiosk", "vehicle"]

# mosquitto_passwd's sha512-pbkdf2 ("$7$"): a 12-byte salt; the iteration count travels in
# the hash. 1000 is mosquitto 2.1's default (2.0's was 101): our passwords are 256 random
# bits, so stretching adds little and every connect pays for it.
HASH_ITERATIONS = 1000
SALT_BYTES = 12
MAX_INGEST_PROCESSES = 16  # a hub account's ingest logins: {hub}-ingest-1 to -16


class BrokerConfigError(DepotClockError):
    """The broker's files could not be written."""


def ingest_logins(hub_username: str) -> tuple[str, ...]:
    """The usernames (and so client ids) a hub account's ingest processes log in under,
    with the hub account's password: `{hub}-ingest`, and `{hub}-ingest-N` for processes
    on a shared subscription (systemd's depotclock-hub-ingest@N)."""
    return (f"{hub_username}-ingest",
            *(f"{hub_username}-ingest-{n}" for n in range(1, MAX_INGEST_PROCESSES + 1)))


def _usernames(login: BrokerLogin) -> tuple[str, ...]:
    """The usernames an account logs in under: its own, and a hub's ingest logins."""
    return (login.username, *ingest_logins(login.username)) if login.role == "hub" else (login.username,)


def password_hash(password: str, salt: bytes | None = None, iterations: int = HASH_ITERATIONS) -> str:
    """`password` as a mosquitto password-file hash: $7$iterations$salt$PBKDF2-SHA512."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


class BrokerLogin(Protocol):
    """What the broker needs to know of an account: who, in what role, and its hash."""

    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def depot(self) -> str | None: ...  # a kiosk's depot, whose roster it reads
    @property
    def password_hash(self) -> str: ...


@dataclass(frozen=True)
class BrokerAccount:
    """An account whose password is known (the demo's and the tests'); the hub keeps hashes."""

    username: str
    password: str
    role: Role
    depot: str | None = None

    @cached_property
    def password_hash(self) -> str:
        return password_hash(self.password)


@dataclass(frozen=True)
class TlsFiles:
    """The broker's certificate, its key, and the CA that signed it (PEM files)."""

    cafile: Path
    certfile: Path
    keyfile: Path


def _acl_entries(login: BrokerLogin) -> list[str]:
    if login.role == "hub":
        return [f"topic readwrite {PREFIX}/#"]
    if login.role == "kiosk":
        if login.depot is None:
            raise BrokerConfigError(f"kiosk {login.username!r} needs a depot for its roster")
        return [
            f"topic write {kiosk_topic(login.username, '#')}",
            f"topic read {roster_topic(login.depot)}",
            f"topic read {receipt_topic('kiosk', login.username)}",
        ]
    if login.role == "vehicle":
        return [
            f"topic write {vehicle_topic(login.username, '#')}",
            f"topic read {receipt_topic('vehicle', login.username)}",
        ]
    raise BrokerConfigError(f"account {login.username!r} has no known role ({login.role!r})")


def acl_text(logins: Iterable[BrokerLogin]) -> str:
    """Mosquitto ACL file: one `user` block per account, nothing for anyone else.

    Explicit blocks rather than `pattern ... %u` lines: a pattern applies to every user, so
    `pattern write .../kiosk/%u/#` would let a van named like a kiosk publish punches.
    """
    blocks = []
    for login in logins:
        entries = _acl_entries(login)
        blocks += ["\n".join([f"user {username}", *entries]) for username in _usernames(login)]
    return "\n\n".join(blocks) + "\n"


def password_file_text(logins: Iterable[BrokerLogin]) -> str:
    """Mosquitto password file: `username:hash`, one a line."""
    lines, seen = [], set()
    for login in logins:
        if ":" in login.username or not login.username.isprintable():
            raise BrokerConfigError(
                f"{login.username!r} cannot be a broker username (no ':' or control characters)"
            )
        if not login.password_hash.startswith("$7$"):
            raise BrokerConfigError(f"account {login.username!r} has no sha512-pbkdf2 password hash")
        for username in _usernames(login):
            if username in seen:
                raise BrokerConfigError(f"{username!r} would log in as two accounts (a hub's ingest "
                                        "logins are {hub}-ingest and {hub}-ingest-N): revoke one")
            seen.add(username)
            lines.append(f"{username}:{login.password_hash}\n")
    return "".join(lines)


def mosquitto_conf(
    *,
    port: int,
    password_file: Path,
    acl_file: Path,
    persistence_dir: Path,
    bind: str = "127.0.0.1",
    run_as: str = "mosquitto",
    tls: TlsFiles | None = None,
    local_port: int | None = None,
) -> str:
    """A listener with authentication and ACL, persistent sessions and retained messages.

    With `tls` the listener speaks only TLS; `local_port` adds a plaintext listener on
    127.0.0.1 (for a hub on the broker's machine). Started as root, mosquitto drops to
    `run_as`, who must be able to read the files (it re-reads passwd and acl on SIGHUP).
    """
    lines = [f"user {run_as}", "per_listener_settings false"]
    # A listener option: each client's client id is its username, on every listener.
    if local_port is not None:
        lines += [f"listener {local_port} 127.0.0.1", "use_username_as_clientid true"]
    lines.append(f"listener {port} {bind}")
    if tls is not None:
        lines += [
            f"cafile {tls.cafile}",
            f"certfile {tls.certfile}",
            f"keyfile {tls.keyfile}",
        ]
    lines.append("use_username_as_clientid true")
    lines += [
        "allow_anonymous false",
        f"password_file {password_file}",
        f"acl_file {acl_file}",
        "persistence true",
        f"persistence_location {persistence_dir}/",
        "autosave_interval 5",
        "max_queued_messages 100000",
        "log_dest stderr",
        "log_type error",
        "log_type warning",
        "",
    ]
    return "\n".join(lines)


def _write_private(path: Path, text: str, owner: str) -> None:
    """Replace `path` in one step (mosquitto may re-read it at any moment), mode 0600."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_text(text)
    temporary.chmod(0o600)
    _hand_to(temporary, owner)
    os.replace(temporary, path)


def _hand_to(path: Path, owner: str) -> None:
    """Written as root for a mosquitto that runs as `owner`: let it read its files."""
    if os.geteuid() == 0 and owner != "root":
        try:
            shutil.chown(path, user=owner)
        except LookupError:
            raise BrokerConfigError(f"no system user {owner!r} to run mosquitto as (give --run-as)") from None


def write_broker_files(
    directory: Path,
    port: int,
    logins: Iterable[BrokerLogin],
    run_as: str = "mosquitto",
    *,
    bind: str = "127.0.0.1",
    tls: TlsFiles | None = None,
    local_port: int | None = None,
    data: Path | None = None,
) -> Path:
    """Write mosquitto.conf, passwd and acl into `directory`; return the conf path.

    mosquitto keeps its sessions and retained messages in `data` (default: directory/data).
    """
    logins = list(logins)
    passwd, acl = password_file_text(logins), acl_text(logins)  # refuse before writing anything
    if tls is not None:
        for path in (tls.cafile, tls.certfile, tls.keyfile):
            if not path.is_file():
                raise BrokerConfigError(f"TLS file {path} does not exist")
    directory.mkdir(parents=True, exist_ok=True)
    data = data or directory / "data"
    data.mkdir(parents=True, exist_ok=True)
    _hand_to(data, run_as)
    password_file, acl_file = directory / "passwd", directory / "acl"
    _write_private(password_file, passwd, run_as)
    _write_private(acl_file, acl, run_as)
    conf = directory / "mosquitto.conf"
    conf.write_text(
        mosquitto_conf(
            port=port,
            password_file=password_file.resolve(),
            acl_file=acl_file.resolve(),
            persistence_dir=data.resolve(),
            bind=bind,
            run_as=run_as,
            tls=tls,
            local_port=local_port,
        )
    )
    return conf
