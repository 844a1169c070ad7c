"""What the JSON API accepts, as pydantic models: validated at the edge, each error naming
its field; the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub.services.check_ins import NEXT_STATUSES


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WorkOrderIn(Body):
    """A work order pushed from a PSA; created or replaced by its id (the path's)."""

    customer: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200)
    depot_id: str = Field(min_length=1, max_length=64)
    site_address: str | None = Field(default=None, max_length=300)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float = Field(default=100.0, gt=0, le=100_000)
    billable: bool = True
    status: str = Field(default="open", max_length=32)
    assigned: list[str] = Field(default_factory=list, description="technician ids")
    quickbooks_job: str | None = Field(
        default=None, max_length=200,
        description="the QuickBooks Desktop job (Customer:Job) its time goes to; left as it is when omitted")


class CheckInIn(Body):
    technician_id: str
    work_order_id: str
    at: AwareDatetime | None = Field(default=None, description="default: now")
    request_id: str | None = Field(default=None, max_length=64,
                                   description="idempotency key: a retry returns the same visit")


class CheckOutIn(Body):
    next_status: Literal[tuple(NEXT_STATUSES)]  # type: ignore[valid-type]
    note: str | None = Field(default=None, max_length=2000)
    at: AwareDatetime | None = None


class CorrectionIn(Body):
    technician_id: str
    kind: Literal["add_punch", "move_punch", "void_punch", "attach_leg", "add_visit", "void_correction"]
    reason: str = Field(min_length=1, max_length=2000)
    replaces: str | None = Field(default=None, description="event id: punch UUID, leg-N, visit-N-in/out, cN")
    action: Literal["clock_in", "clock_out", "break_start", "break_end"] | None = None
    at: AwareDatetime | None = None
    end: AwareDatetime | None = None
    break_kind: Literal["meal", "rest"] | None = None
    work_order: str | None = None


class ApprovalIn(Body):
    technician_id: str
    week: date = Field(description="any day of the workweek")
    decision: Literal["submit", "approve", "reject", "void"]
    reason: str | None = Field(default=None, max_length=2000)


BODIES = (WorkOrderIn, CheckInIn, CheckOutIn, CorrectionIn, ApprovalIn)
__all__ = ["ApprovalIn", "BODIES", "CheckInIn", "CheckOutIn", "CorrectionIn", "WorkOrderIn", "datetime"]
