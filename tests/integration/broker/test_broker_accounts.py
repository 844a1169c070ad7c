"""Broker accounts in the hub's store (SQLite and PostgreSQL): only hashes kept, rotation,
revocation, a kiosk's depot, one role per username."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from hub.broker.accounts import BrokerAccountError, active_accounts, provision, revoke
from hub.broker.mosquitto_files import password_hash
from hub.store.models import BrokerCredential, Depot, Kiosk

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


@pytest.fixture
def depots(session):
    session.add_all([
        Depot(id="north", name="North", timezone="America/Chicago", lat=0.0, lon=0.0),
        Depot(id="south", name="South", timezone="America/Denver", lat=0.0, lon=0.0),
    ])
    session.add(Kiosk(id="kiosk-n1", name="North door", depot_id="north"))
    session.flush()
    return session


def _verifies(stored_hash: str, password: str) -> bool:
    _, _, iterations, salt, _ = stored_hash.split("$")
    return password_hash(password, base64.b64decode(salt), int(iterations)) == stored_hash


def test_only_the_mosquitto_hash_of_the_password_is_kept(depots):
    made = provision(depots, "van-12", "vehicle", T0)
    row = depots.get(BrokerCredential, "van-12")
    assert made.password not in (row.username, row.role, row.depot, row.password_hash)
    assert row.password_hash.startswith("$7$") and _verifies(row.password_hash, made.password)
    assert (row.created_at, row.rotated_at, row.revoked_at) == (T0, T0, None)
    assert len(made.password) >= 43 and not made.rotated  # 32 random bytes, URL-safe


def test_provisioning_again_rotates_the_password(depots):
    first = provision(depots, "van-12", "vehicle", T0)
    second = provision(depots, "van-12", "vehicle", T0 + timedelta(days=1))
    row = depots.get(BrokerCredential, "van-12")
    assert second.rotated and not second.reinstated and second.password != first.password
    assert _verifies(row.password_hash, second.password) and not _verifies(row.password_hash, first.password)
    assert (row.created_at, row.rotated_at) == (T0, T0 + timedelta(days=1))


def test_a_revoked_account_leaves_the_broker_until_provisioned_again(depots):
    provision(depots, "hub", "hub", T0)
    provision(depots, "van-12", "vehicle", T0)
    revoke(depots, "van-12", T0 + timedelta(hours=1))
    assert [a.username for a in active_accounts(depots)] == ["hub"]
    with pytest.raises(BrokerAccountError, match="already revoked"):
        revoke(depots, "van-12", T0 + timedelta(hours=2))
    again = provision(depots, "van-12", "vehicle", T0 + timedelta(hours=3))
    assert again.reinstated and [a.username for a in active_accounts(depots)] == ["hub", "van-12"]
    with pytest.raises(BrokerAccountError, match="no broker account 'van-99'"):
        revoke(depots, "van-99", T0)


def test_a_kiosk_reads_the_roster_of_the_depot_its_record_names(depots):
    assert provision(depots, "kiosk-n1", "kiosk", T0).depot == "north"
    with pytest.raises(BrokerAccountError, match="belongs to depot north, not south"):
        provision(depots, "kiosk-n1", "kiosk", T0, depot="south")


def test_a_kiosk_without_a_record_needs_a_known_depot_once(depots):
    with pytest.raises(BrokerAccountError, match="give its depot"):
        provision(depots, "kiosk-s1", "kiosk", T0)
    with pytest.raises(BrokerAccountError, match="no depot 'east'"):
        provision(depots, "kiosk-s1", "kiosk", T0, depot="east")
    provision(depots, "kiosk-s1", "kiosk", T0, depot="south")
    assert provision(depots, "kiosk-s1", "kiosk", T0).depot == "south"  # rotation keeps it


def test_one_role_per_username_and_ids_that_are_topic_levels(depots):
    provision(depots, "van-12", "vehicle", T0)
    with pytest.raises(BrokerAccountError, match="already a vehicle account"):
        provision(depots, "van-12", "kiosk", T0, depot="north")
    with pytest.raises(BrokerAccountError, match="only kiosks have a depot"):
        provision(depots, "van-13", "vehicle", T0, depot="north")
    with pytest.raises(BrokerAccountError, match="is not an id"):
        provision(depots, "van/12", "vehicle", T0)


def test_the_database_refuses_a_kiosk_without_a_depot(depots):
    depots.add(BrokerCredential(username="kiosk-x", role="kiosk", password_hash="$7$", created_at=T0,
                                rotated_at=T0))
    with pytest.raises(IntegrityError):
        depots.flush()
