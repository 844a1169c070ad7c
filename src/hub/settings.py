"""The hub's settings: where its database and broker are, and the company's payroll zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, FilePath, IPvAnyNetwork, NameEmail, SecretStr, field_validator, model_validator

from depotclock.backoff import RetryPauses
from depotclock.config import BrokerUrl, RemoteBrokerUrl, RoleSettings, ZoneName
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.horizon import FUTURE_TOLERANCE_S
from depotclock.wire.motion import MOVING_KMH, PARKED_HEARTBEAT_S, STOP_AFTER_S
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H, MAX_AUTO_CLOCK_OUT_AFTER_H
from hub.holiday_calendar import check_region
from hub.rules.device_presence import PresencePolicy
from hub.rules.holidays import HolidayPolicy
from hub.rules.legs import LegPolicy
from hub.rules.pay_period import anchor_mismatch, default_anchor
from hub.rules.policy import PayPeriodKind, PayPeriodPolicy, RoundingPolicy, TimesheetPolicy, overtime_preset
from hub.rules.punch_location import LocationPolicy
from hub.rules.workweek import WEEKDAYS, Weekday

DEFAULT_CONFIG = "/etc/depotclock/hub.toml"


class HolidaySettings(BaseModel):
    """Paid holidays: the public ones of `country` (and `subdivision`) from the `holidays`
    library, plus the company's own days from the admin page. Each pays an eligible
    technician `hours`; regular hours worked on one are paid at `worked_rate` times the wage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")  # ISO 3166: US, CA; None: company days only
    subdivision: str | None = Field(default=None, max_length=8)  # e.g. ON (Ontario), CA (California)
    hours: Decimal = Field(default=Decimal(8), ge=0, le=24)
    worked_rate: Decimal = Field(default=Decimal("1.5"), ge=1, le=4)

    @model_validator(mode="after")
    def _known_region(self) -> HolidaySettings:
        if self.country is not None:
            check_region(self.country, self.subdivision)
        elif self.subdivision is not None:
            raise ValueError("a holiday subdivision needs its country")
        return self

    def policy(self) -> HolidayPolicy:
        """What each holiday pays; the days come from the calendar of the dates computed."""
        return HolidayPolicy(hours=self.hours, worked_rate=self.worked_rate)


class PayrollSettings(BaseModel):
    """The company's pay rules; each technician's overtime preset comes from their record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pay_period: PayPeriodKind = PayPeriodKind.BIWEEKLY
    # The first day of some weekly/bi-weekly period, a workweek's first day; unset: the
    # first day of the workweek holding 2026-01-05.
    pay_period_anchor: date | None = None
    week_start: Weekday = "monday"  # 29 CFR 778.105: any fixed day and hour
    day_start: time = time(0, 0)
    rounding_minutes: Literal[0, 5, 6, 15] = 0
    gap_threshold_min: int = Field(default=45, gt=0)
    auto_clock_out_after_h: int = Field(default=AUTO_CLOCK_OUT_AFTER_H, gt=0, le=MAX_AUTO_CLOCK_OUT_AFTER_H)
    approval_levels: Literal[0, 1, 2] = 1  # none; supervisor; supervisor then payroll
    approve_unsubmitted: bool = False  # may the first level approve a week the technician has not submitted
    # may technicians move or void their own punches and name their own legs' work orders
    # (before they submit the week); adding what was missing stays theirs either way
    own_corrections: bool = True
    # replaces the wage below which a preset's daily overtime applies (nevada: 1.5x the
    # state minimum wage, 18.00 from July 2024) when the minimum wage changes
    daily_overtime_below_wage: Decimal | None = Field(default=None, gt=0)
    holidays: HolidaySettings = HolidaySettings()

    @model_validator(mode="after")
    def _periods_keep_workweeks_whole(self) -> PayrollSettings:
        mismatch = anchor_mismatch(self.pay_period, self.period_anchor, self.week_start_day)
        if mismatch:
            raise ValueError(f"payroll.pay_period_anchor and payroll.week_start disagree: {mismatch}")
        return self

    @property
    def period_anchor(self) -> date:
        """The anchor the rules use: the one set, else the default for the workweek."""
        return self.pay_period_anchor or default_anchor(self.week_start_day)

    @property
    def week_start_day(self) -> int:
        """The workweek's first day as the rules take it (0 = Monday)."""
        return WEEKDAYS.index(self.week_start)

    def policy(self, overtime: str) -> TimesheetPolicy:
        """The engine's policy for a technician on overtime preset `overtime`."""
        preset = overtime_preset(overtime)
        if self.daily_overtime_below_wage is not None and preset.daily_ot_below_wage is not None:
            preset = replace(preset, daily_ot_below_wage=self.daily_overtime_below_wage)
        return TimesheetPolicy(
            overtime=preset, rounding=RoundingPolicy(self.rounding_minutes),
            pay_period=PayPeriodPolicy(self.pay_period, self.period_anchor),
            week_start_day=self.week_start_day, day_start=self.day_start,
            auto_clock_out_after_h=self.auto_clock_out_after_h, gap_threshold_min=self.gap_threshold_min,
            holidays=self.holidays.policy(),
        )


class PayCodes(BaseModel):
    """What each kind of paid hours is called in the payroll system (case-sensitive there)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regular: str = Field(default="REG", min_length=1)
    overtime: str = Field(default="OT", min_length=1)
    double_time: str = Field(default="DT", min_length=1)
    premium: str = Field(default="PREM", min_length=1)  # California meal/rest premium hours
    holiday: str = Field(default="HOL", min_length=1)  # holiday hours paid, not worked
    holiday_worked: str = Field(default="HOLW", min_length=1)  # worked on a holiday, at the holiday rate


class MileageSettings(BaseModel):
    """Mileage reimbursement: business legs' distance at a rate per unit (hub.export.mileage)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Literal["mile", "km"] = "mile"
    rate: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=4)  # per unit; None: no mileage
    code: str = Field(default="MILEAGE", min_length=1)  # the generic CSV's pay code


class AdpExport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    company_code: str = Field(default="", pattern=r"^([A-Za-z0-9]{2,3})?$")  # file name PRcccEPI.csv
    # the Batch ID's start; the export's number follows (DEPOTCLOCK12), unique per export
    batch_id: str = Field(default="DEPOTCLOCK", pattern=r"^[A-Za-z0-9]{1,15}$")
    # Hours 3 / Hours 4 codes (holiday hours on a second row of the employee's)
    pay_codes: PayCodes = PayCodes(double_time="D", premium="P", holiday="H", holiday_worked="HW")
    mileage_code: str = Field(default="M", pattern=r"^[A-Za-z0-9]{1,2}$")  # Earnings 3 Code


def _paychex_component(name: str) -> str:
    """Paychex SPI: a pay component name is at most 20 characters (and case-sensitive)."""
    if len(name) > 20:
        raise ValueError(f"Paychex pay component {name!r} is longer than 20 characters")
    return name


class PaychexExport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str = Field(default="", max_length=8)
    pay_codes: PayCodes = PayCodes(
        regular="Hourly", overtime="Overtime", double_time="Double Time", premium="Meal Premium",
        holiday="Holiday", holiday_worked="Holiday Worked",
    )  # pay component names, as set up for the client
    mileage_component: str = Field(default="Mileage", min_length=1, max_length=20)

    @field_validator("pay_codes")
    @classmethod
    def _components(cls, codes: PayCodes) -> PayCodes:
        for name in codes.model_dump().values():
            _paychex_component(name)
        return codes


class IifExport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # the company file's own COMPANYNAME and COMPANYCREATETIME, as a Timer export of it has
    # them; QuickBooks refuses a file of another company: required
    company_name: str = ""
    company_create_time: int = Field(default=0, ge=0)
    service_item: str = "Field Service"  # ITEM on billable time
    pay_codes: PayCodes = PayCodes(
        regular="Hourly Regular", overtime="Hourly Overtime", double_time="Hourly Double Time",
        premium="Meal Rest Premium", holiday="Holiday Hourly", holiday_worked="Hourly Holiday Worked",
    )  # payroll items (PITEM)


class ExportSettings(BaseModel):
    """Payroll export: employee ids, pay codes and each payroll system's company codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    employee_id: Literal["payroll_id", "technician_id"] = "payroll_id"
    directory: Path = Path("/var/lib/depotclock/exports")
    workers: int = Field(default=1, ge=1, le=64)  # processes computing timesheets in parallel
    pay_codes: PayCodes = PayCodes()  # the generic CSV's
    adp: AdpExport = AdpExport()
    paychex: PaychexExport = PaychexExport()
    iif: IifExport = IifExport()
    mileage: MileageSettings = MileageSettings()


class DriveLegSettings(BaseModel):
    """How ingest cuts a van's telemetry into drive legs (each van's source, ignition wire
    or motion, is on its record)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    merge_stop_s: int = Field(default=300, ge=0)  # an engine-off stop shorter than this (fuel) stays in the leg
    min_trip_m: float = Field(default=200.0, ge=0)  # shorter is idling, not a trip
    min_trip_s: int = Field(default=300, ge=0)  # motion: moving this long starts a trip
    # motion: stopped this long ends it; longer than a parked van's heartbeat (depotclock.wire.motion)
    min_parking_s: int = Field(default=STOP_AFTER_S, gt=PARKED_HEARTBEAT_S)
    # from this speed a fix is moving; vans send at their moving cadence from MOVING_KMH, so not below it
    moving_kmh: float = Field(default=MOVING_KMH, ge=MOVING_KMH)
    gap_s: int = Field(default=3600, gt=0)  # a silence this long ends a trip
    stop_radius_m: float = Field(default=100.0, ge=0)  # motion: staying this near is a stop; a leg leaves it
    stop_dwell_s: int = Field(default=300, gt=0)  # motion: for this long, whatever GPS jitter says of the speed
    bridge_min_kmh: float = Field(default=10.0, ge=0)  # motion: a shorter silence driven through at
    bridge_max_kmh: float = Field(default=200.0, ge=0)  # an average speed between these keeps the trip

    def policy(self) -> LegPolicy:
        return LegPolicy(**self.model_dump())


class IngestSettings(BaseModel):
    """How `hub ingest` batches what it receives. Larger batches cost less per message
    when a backlog comes in (docs/scaling.md) and hold more in memory: on a small board
    after a long outage, a smaller `batch_size` keeps the store processes small."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: int = Field(default=10000, ge=1, le=100000)  # the most messages in one batch
    # Processes storing side by side, each its share of the devices (0: in the ingest
    # process itself); by default 2 on PostgreSQL, 1 on SQLite (one writer at a time).
    store_processes: int | None = Field(default=None, ge=0, le=32)
    # A van's fix or status dated further ahead of its arrival than this is a dead letter.
    future_tolerance_s: float = Field(default=FUTURE_TOLERANCE_S, gt=0, le=86400)


class MonitoringSettings(BaseModel):
    """Health and metrics: when a silent device shows as offline, who may read /metrics
    without a token, and where ingest serves its own metrics."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kiosk_offline_after_s: float = Field(default=300.0, gt=0)  # kiosks publish a status every minute
    vehicle_offline_after_s: float = Field(default=900.0, gt=0)  # a parked van sends a fix every 4 minutes
    metrics_allow: list[IPvAnyNetwork] = []  # addresses that may read /metrics without a token
    ingest_metrics_port: int = Field(default=0, ge=0, le=65535)  # 0: ingest serves no metrics
    ingest_metrics_host: str = "127.0.0.1"

    def presence_policy(self) -> PresencePolicy:
        return PresencePolicy(self.kiosk_offline_after_s, self.vehicle_offline_after_s)


class SmtpSettings(BaseModel):
    """The mail server reminders and notices go out through (docs/notifications.md);
    without a host, `hub notify` records what is due and sends nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str | None = Field(default=None, min_length=1, max_length=253)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"  # ssl: implicit TLS (port 465)
    ca_file: FilePath | None = None  # a private relay's CA certificate (PEM); default: the system's CAs
    username: str | None = Field(default=None, max_length=256)
    password: SecretStr | None = None
    from_address: NameEmail | None = None  # "DepotClock <depotclock@example.com>"
    timeout_s: float = Field(default=30.0, gt=0, le=300)
    retry_pauses: RetryPauses = (60.0, 3600.0)  # (first, longest) seconds between attempts at one message
    max_attempts: int = Field(default=8, ge=1, le=20)  # then it is recorded as failed

    @model_validator(mode="after")
    def _sender(self) -> SmtpSettings:
        if self.host is not None and self.from_address is None:
            raise ValueError("smtp.from_address is needed to send mail (e.g. DepotClock <depotclock@example.com>)")
        if self.username is not None and self.password is None:
            raise ValueError("smtp.username needs smtp.password")
        return self


class NoticeSettings(BaseModel):
    """When reminders are due; who receives which is each user's choice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # still clocked in this long; unset: 12 h, or an hour before the automatic clock-out if that comes sooner
    open_shift_after_h: int | None = Field(default=None, gt=0, le=MAX_AUTO_CLOCK_OUT_AFTER_H)
    lookback_days: int = Field(default=7, ge=1, le=62)  # missing punches and returned weeks this recent
    hub_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$", max_length=300)  # links in messages


class PunchingSettings(BaseModel):
    """Punches away from a badge: from the technician's phone, and with a PIN at the kiosk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    location_policy: LocationPolicy = LocationPolicy.FLAG_OUTSIDE  # a depot's own, set on its record, wins
    # a punch's (check-in's, check-out's, timer's) `at` this far past the hub's clock: refused
    max_ahead_s: int = Field(default=300, ge=0, le=3600)
    max_queued_h: int = Field(default=168, ge=1, le=24 * 31)  # an offline phone's request older than this: refused
    # a phone's request sent this long after it was made, or from a phone whose clock is this far off: flagged
    clock_tolerance_s: int = Field(default=300, ge=0, le=3600)
    pin_needs_approval: bool = False  # a PIN punch is flagged `needs_approval` for the supervisor


class HubSettings(RoleSettings):
    database_url: str = "sqlite:////var/lib/depotclock/hub.db"
    mqtt_url: BrokerUrl
    # The broker as devices reach it, without a login, e.g. mqtts://hub.example:8883 or
    # mqtts://hub.example:8883?cafile=/etc/depotclock/ca.crt: what `provision` writes into
    # device configs unless --broker says otherwise (without it: the address in mqtt_url).
    device_broker_url: RemoteBrokerUrl | None = None
    timezone: ZoneName = "UTC"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")  # ISO 4217: how pages show money
    payroll: PayrollSettings = PayrollSettings()
    export: ExportSettings = ExportSettings()
    drive_legs: DriveLegSettings = DriveLegSettings()
    ingest: IngestSettings = IngestSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    smtp: SmtpSettings = SmtpSettings()
    notices: NoticeSettings = NoticeSettings()
    punching: PunchingSettings = PunchingSettings()
    web_secret: SecretStr | None = None  # signs web logins; without it each start makes one
    web_wall_cache_s: float = Field(default=5.0, ge=0)  # board and timeline shared this long
    # Served over https (a TLS proxy in front): cookies are Secure and browsers told to keep to https.
    web_https: bool = False
    # Proxies in front of `hub serve` whose X-Forwarded-For/-Proto to trust (the TLS proxy: 1).
    web_proxies: int = Field(default=0, ge=0, le=5)
    # The maps' tiles ({z}/{x}/{y}) and the credit their terms ask for; pages may load images from there.
    map_tiles: str = Field(default="https://tile.openstreetmap.org/{z}/{x}/{y}.png", max_length=300,
                           pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9._~/{}-]*\{z\}[A-Za-z0-9._~/{}-]*$")
    map_attribution: str = Field(default="© OpenStreetMap contributors", max_length=200, pattern=r"^[^<>\"]*$")

    @field_validator("device_broker_url")
    @classmethod
    def _no_device_login(cls, value: str | None) -> str | None:
        if value is not None and BrokerAddress.from_url(value).username is not None:
            raise ValueError("give the broker without a login: each device gets its own from provision")
        return value

    @property
    def open_shift_notice_h(self) -> int:
        """How long a technician is clocked in before being reminded."""
        limit = self.payroll.auto_clock_out_after_h
        chosen = self.notices.open_shift_after_h
        return chosen if chosen is not None else max(1, min(12, limit - 1))

    @model_validator(mode="after")
    def _reminder_before_auto_clock_out(self) -> HubSettings:
        if self.notices.open_shift_after_h is not None and \
                self.notices.open_shift_after_h >= self.payroll.auto_clock_out_after_h:
            raise ValueError(f"notices.open_shift_after_h ({self.notices.open_shift_after_h}) must be shorter than "
                             f"payroll.auto_clock_out_after_h ({self.payroll.auto_clock_out_after_h}): past that the "
                             "shift is closed automatically and reported as a missing clock-out")
        return self

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("use a sqlite:/// or postgresql:// URL")
        return value
