"""The broker logins the hub keeps: each device's (username = its id) and the hub's own.

Only mosquitto's hash of each password is stored; the password is shown once, when the
account is provisioned or rotated.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

BROKER_ROLES = ("hub", "kiosk", "vehicle")


class BrokerCredential(Base):
    __tablename__ = "broker_credentials"
    __table_args__ = (
        CheckConstraint(f"role IN {BROKER_ROLES}", name="role_known"),
        CheckConstraint(
            "(role = 'kiosk' AND depot_id IS NOT NULL) OR (role <> 'kiosk' AND depot_id IS NULL)",
            name="depot_for_kiosks_only",
        ),
    )

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    depot: Mapped[str | None] = mapped_column("depot_id", ForeignKey("depots.id"))  # whose roster a kiosk reads
    password_hash: Mapped[str] = mapped_column(String(255))  # mosquitto sha512-pbkdf2 ($7$)
    created_at: Mapped[datetime]
    rotated_at: Mapped[datetime]  # when the current password was made
    revoked_at: Mapped[datetime | None]
