"""Every table, imported in one place so the metadata is complete for Alembic."""

from hub.store.access import ApiToken, LoginLockout, LoginThrottle, User, UserDepot, WebSession
from hub.store.base import Base
from hub.store.broker_credentials import BrokerCredential
from hub.store.company_holidays import CompanyHoliday
from hub.store.hours_entries import HoursEntry, HoursEntryVoid
from hub.store.leg_requests import LegRebuildRequest
from hub.store.notifications import Notification, NotificationPreference
from hub.store.organisation import (
    Badge,
    Depot,
    Kiosk,
    PayrollIdentity,
    Technician,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
)
from hub.store.payroll_exports import (
    PayrollExport,
    PayrollExportChunk,
    PayrollExportFile,
    PayrollExportTechnician,
)
from hub.store.raw_events import DeadLetter, DeviceStatus, Punch, TelemetryEvent, UnknownBadgeRead
from hub.store.roster_requests import RosterRequest
from hub.store.task_categories import TaskCategory
from hub.store.time_records import (
    Correction,
    DriveLeg,
    PayPeriodLock,
    TimesheetApproval,
    WorkOrderVisit,
)

__all__ = [
    "ApiToken", "Badge", "Base", "BrokerCredential", "CompanyHoliday", "Correction", "DeadLetter", "Depot",
    "DeviceStatus", "DriveLeg", "HoursEntry", "HoursEntryVoid", "Kiosk", "LegRebuildRequest", "LoginLockout", "LoginThrottle",
    "Notification", "NotificationPreference",
    "PayPeriodLock", "PayrollExport", "PayrollExportChunk", "PayrollIdentity",
    "PayrollExportFile", "PayrollExportTechnician", "Punch", "RosterRequest", "TaskCategory", "Technician", "TelemetryEvent",
    "TimesheetApproval", "UnknownBadgeRead", "User", "UserDepot", "Vehicle", "VehicleAssignment",
    "WebSession", "WorkOrder", "WorkOrderAssignment", "WorkOrderVisit",
]
