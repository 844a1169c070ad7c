"""Mosquitto configuration for a depot: password file, per-device ACL, no anonymous access.

Each device logs in with its own id as username and may only publish its own topics and
read its own depot's roster; the hub account reads and writes the whole tree.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from wire.topics import PREFIX, kiosk_topic, roster_topic, vehicle_topic

Role = Literal["hub", "kiosk", "vehicle"]


class BrokerConfigError(Exception):
    """The broker's files could not be written."""


@dataclass(frozen=True)
class BrokerAccount:
    username: str
    password: str
    role: Role
    depot: str | None = None  # a kiosk's depot, whose roster it reads


def _acl_entries(account: BrokerAccount) -> list[str]:
    if account.role == "hub":
        return [f"topic readwrite {PREFIX}/#"]
    if account.role == "kiosk":
        if account.depot is None:
            raise BrokerConfigError(f"kiosk {account.username!r} needs a depot for its roster")
        return [
            f"topic write {kiosk_topic(account.username, '#')}",
            f"topic read {roster_topic(account.depot)}",
        ]
    return [f"topic write {vehicle_topic(account.username, '#')}"]


def acl_text(accounts: list[BrokerAccount]) -> str:
    """Mosquitto ACL file: one `user` block per account, nothing for anyone else."""
    blocks = []
    for account in accounts:
        lines = [f"user {account.username}", *_acl_entries(account)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write_password_file(path: Path, accounts: list[BrokerAccount]) -> None:
    """Write the accounts and hash them in place with mosquitto's own tool."""
    for account in accounts:
        if ":" in account.username or not account.password:
            raise BrokerConfigError(f"account {account.username!r} needs a name without ':' and a password")
    path.write_text("".join(f"{a.username}:{a.password}\n" for a in accounts))
    path.chmod(0o600)
    try:
        subprocess.run(["mosquitto_passwd", "-U", str(path)], check=True, capture_output=True)
    except FileNotFoundError:
        raise BrokerConfigError("mosquitto_passwd is not installed (apt-get install mosquitto)") from None
    except subprocess.CalledProcessError as exc:
        raise BrokerConfigError(f"mosquitto_passwd failed: {exc.stderr.decode().strip()}") from None


def mosquitto_conf(
    *,
    port: int,
    password_file: Path,
    acl_file: Path,
    persistence_dir: Path,
    bind: str = "127.0.0.1",
    run_as: str = "mosquitto",
) -> str:
    """A listener with authentication and ACL, persistent sessions and retained messages.

    Started as root, mosquitto drops to `run_as`, who must be able to read the files.
    """
    return "\n".join(
        [
            f"user {run_as}",
            f"listener {port} {bind}",
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
    )


def write_broker_files(
    directory: Path, port: int, accounts: list[BrokerAccount], run_as: str = "mosquitto"
) -> Path:
    """Write mosquitto.conf, passwd and acl into `directory`; return the conf path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data").mkdir(exist_ok=True)
    password_file, acl_file = directory / "passwd", directory / "acl"
    write_password_file(password_file, accounts)
    acl_file.write_text(acl_text(accounts))
    conf = directory / "mosquitto.conf"
    conf.write_text(
        mosquitto_conf(
            port=port,
            password_file=password_file,
            acl_file=acl_file,
            persistence_dir=directory / "data",
            run_as=run_as,
        )
    )
    return conf
