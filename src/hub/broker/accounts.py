"""Broker accounts the hub keeps: provision (or rotate) a device's password, revoke it.

The password is made here, shown once to whoever provisions the device, and only its
mosquitto hash is stored; `depotclock hub broker-config` writes the broker's files from
the accounts that are not revoked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from depotclock.errors import DepotClockError
from depotclock.wire.errors import WireError
from depotclock.wire.topics import check_device_id
from hub.broker.mosquitto_files import Role, ingest_logins, password_hash
from hub.store.models import BrokerCredential, Depot, Kiosk, Vehicle

PASSWORD_BYTES = 32  # 256 random bits, URL-safe: it goes in mqtt_url as it is


class BrokerAccountError(DepotClockError):
    """An account cannot be provisioned or revoked; the message says why."""


@dataclass(frozen=True)
class Provisioned:
    """A new password for `username`, to be put in the device's config and then forgotten."""

    username: str
    role: Role
    depot: str | None
    password: str
    rotated: bool  # the account existed: its old password no longer works after a reload
    reinstated: bool  # the account had been revoked
    registered: bool = False  # a kiosk the hub had no record of, now on its depot's board


def _checked_id(username: str) -> str:
    try:
        return check_device_id(username)
    except WireError as exc:
        raise BrokerAccountError(str(exc)) from None


def _kiosk_depot(session: Session, kiosk_id: str, depot: str | None, account: BrokerCredential | None) -> str:
    """The depot whose roster the kiosk reads: the kiosk's record decides when there is one;
    else the one given, else the one it had."""
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is not None and depot is not None and depot != kiosk.depot_id:
        raise BrokerAccountError(f"kiosk {kiosk_id} belongs to depot {kiosk.depot_id}, not {depot}")
    if kiosk is not None:
        depot = kiosk.depot_id
    elif depot is None and account is not None:
        depot = account.depot
    if depot is None:
        raise BrokerAccountError(f"kiosk {kiosk_id} is not in the hub's records: give its depot (--depot)")
    if session.get(Depot, depot) is None:
        raise BrokerAccountError(f"no depot {depot!r} in the hub's records")
    return depot


def provision(
    session: Session, username: str, role: Role, now: datetime, depot: str | None = None
) -> Provisioned:
    """Make a new password for the account (creating it, or rotating an existing one)."""
    username = _checked_id(username)
    account = session.get(BrokerCredential, username)
    if account is not None and account.role != role:
        raise BrokerAccountError(
            f"{username} is already a {account.role} account; broker usernames are unique across roles"
        )
    _check_no_ingest_login_clash(session, username, role)
    registered = False
    if role == "kiosk":
        depot = _kiosk_depot(session, username, depot, account)
        if session.get(Kiosk, username) is None:  # kiosks have no admin page: provisioning registers one
            session.add(Kiosk(id=username, name=username, depot_id=depot))
            registered = True
    elif depot is not None:
        raise BrokerAccountError(f"only kiosks have a depot; a {role} account reads no roster")
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    rotated, reinstated = account is not None, account is not None and account.revoked_at is not None
    if account is None:
        account = BrokerCredential(username=username, role=role, created_at=now)
        session.add(account)
    account.depot, account.password_hash = depot, password_hash(password)
    account.rotated_at, account.revoked_at = now, None
    session.flush()
    return Provisioned(username, role, depot, password, rotated, reinstated, registered)


def _check_no_ingest_login_clash(session: Session, username: str, role: Role) -> None:
    """A hub account's ingest processes log in as `{hub}-ingest[-N]`: no other account
    may be named so, nor may a hub account be named so that its own ingest logins are."""
    hubs = session.scalars(select(BrokerCredential.username).where(BrokerCredential.role == "hub"))
    for hub in hubs:
        if hub != username and username in ingest_logins(hub):
            raise BrokerAccountError(f"{username} is a login of hub account {hub}'s ingest processes; pick another name")
    if role == "hub":
        taken = session.scalars(select(BrokerCredential.username).where(
            BrokerCredential.username.in_(ingest_logins(username)))).first()
        if taken is not None:
            raise BrokerAccountError(f"account {taken} has the name of one of {username}'s ingest logins")


def revoke(session: Session, username: str, now: datetime) -> BrokerCredential:
    """Refuse the account from the broker's next reload on; provisioning it again reinstates it."""
    account = session.get(BrokerCredential, username)
    if account is None:
        raise BrokerAccountError(f"no broker account {username!r}")
    if account.revoked_at is not None:
        raise BrokerAccountError(f"{username} was already revoked at {account.revoked_at:%Y-%m-%d %H:%M} UTC")
    account.revoked_at = now
    session.flush()
    return account


def all_accounts(session: Session) -> list[BrokerCredential]:
    """Every account, revoked ones too, by role then username."""
    order = (BrokerCredential.role, BrokerCredential.username)
    return list(session.scalars(select(BrokerCredential).order_by(*order)))


def active_accounts(session: Session) -> list[BrokerCredential]:
    """The accounts the broker should accept, by role then username."""
    return [account for account in all_accounts(session) if account.revoked_at is None]


def unknown_device_note(session: Session, username: str, role: Role) -> str | None:
    """A reminder when the hub has no record of the van the account is for (a kiosk is
    registered by provisioning it)."""
    if role != "vehicle" or session.get(Vehicle, username) is not None:
        return None
    return f"note: the hub has no vehicle {username} in its records yet; add it on Admin > Vehicles"
