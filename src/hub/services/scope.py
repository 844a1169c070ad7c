"""Who may see and change what, in one place: a technician sees only themself; a
supervisor and payroll only the technicians and work orders of their depots; an admin all.

Every query of people or work orders the web app and the API make goes through a
`Viewer`, so scoping is never left to a view to remember.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from hub.store.models import Depot, Technician, User, UserDepot, Vehicle, WorkOrder


class OutOfScope(LookupError):
    """The thing asked for does not exist, or this user may not see it (told apart by nobody)."""


class NotAllowed(PermissionError):
    """This user's role may not do this."""


@dataclass(frozen=True)
class Viewer:
    user_id: int
    username: str
    role: str
    technician_id: str | None
    depots: frozenset[str] | None  # None: every depot (admin)

    @classmethod
    def of(cls, session: Session, user: User) -> Viewer:
        if user.role == "admin":
            depots = None
        else:
            depots = frozenset(session.scalars(select(UserDepot.depot_id).where(UserDepot.user_id == user.id)))
        return cls(user.id, user.username, user.role, user.technician_id, depots)

    # -- roles
    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise NotAllowed(f"a {self.role} may not do this")

    @property
    def supervises(self) -> bool:
        return self.role in ("supervisor", "payroll", "admin")

    # -- technicians
    def technicians(self) -> Select:
        """Technicians this user may see, as a query to refine."""
        query = select(Technician)
        if self.role == "technician":
            return query.where(Technician.id == (self.technician_id or ""))
        if self.depots is not None:
            query = query.where(Technician.home_depot_id.in_(self.depots))
        return query

    def technician(self, session: Session, technician_id: str) -> Technician:
        found = session.scalar(self.technicians().where(Technician.id == technician_id))
        if found is None:
            raise OutOfScope(f"no technician {technician_id}")
        return found

    def technician_ids(self, session: Session) -> list[str]:
        return list(session.scalars(self.technicians().with_only_columns(Technician.id).order_by(Technician.id)))

    # -- depots and work orders
    def depot_query(self) -> Select:
        query = select(Depot).order_by(Depot.name)
        if self.role == "technician":
            return query.where(Depot.id.in_(
                select(Technician.home_depot_id).where(Technician.id == (self.technician_id or ""))))
        return query if self.depots is None else query.where(Depot.id.in_(self.depots))

    def depot(self, session: Session, depot_id: str) -> Depot:
        found = session.scalar(self.depot_query().where(Depot.id == depot_id))
        if found is None:
            raise OutOfScope(f"no depot {depot_id}")
        return found

    def work_orders(self) -> Select:
        query = select(WorkOrder)
        if self.role == "technician":
            return query.where(WorkOrder.depot_id.in_(
                select(Technician.home_depot_id).where(Technician.id == (self.technician_id or ""))))
        return query if self.depots is None else query.where(WorkOrder.depot_id.in_(self.depots))

    def work_order(self, session: Session, work_order_id: str) -> WorkOrder:
        found = session.scalar(self.work_orders().where(WorkOrder.id == work_order_id))
        if found is None:
            raise OutOfScope(f"no work order {work_order_id}")
        return found

    # -- vans
    def van_condition(self) -> ColumnElement[bool]:
        """Which vans this user may see, as a condition on Vehicle: their depots' (none for
        a technician), an admin's all."""
        if self.role == "technician":
            return false()
        return true() if self.depots is None else Vehicle.depot_id.in_(self.depots)

    def vehicles(self) -> Select:
        return select(Vehicle).where(self.van_condition()).order_by(Vehicle.name)

    def vehicle(self, session: Session, vehicle_id: str) -> Vehicle:
        found = session.scalar(self.vehicles().where(Vehicle.id == vehicle_id))
        if found is None:
            raise OutOfScope(f"no van {vehicle_id}")
        return found
