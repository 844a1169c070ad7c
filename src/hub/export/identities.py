"""Who a technician is in each payroll system, checked against what that system accepts
(docs/export.md, import contracts):

- ADP `File #`: the employee's file number, digits only, at most 6, written zero-padded
  to 6 (TimeTrex CE: "ADP employee numbers should always be 6 digits").
- Paychex Flex Worker ID: letters and digits only, at most 10 (Paychex SPI specification).
- Gusto `gusto_employee_id`: Gusto's own id, which it assigns and which cannot be changed
  (Gusto support, CSV upload): letters and digits.
- QuickBooks Desktop `EMP`: the employee list name exactly (often "Last, First"), in
  Windows-1252, which QuickBooks Desktop reads.

Pure: the store keeps the identities (hub.store PayrollIdentity), the admin pages and
the export check them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.export.cells import text_problem

PROVIDERS = {"adp": "ADP file number", "paychex": "Paychex worker id", "gusto": "Gusto employee id",
             "iif": "QuickBooks employee name"}
ADP_FILE_NUMBER = 6
PAYCHEX_WORKER_ID = 10
QUICKBOOKS_ENCODING = "cp1252"  # Windows-1252, the ANSI code page QuickBooks Desktop reads
QUICKBOOKS_NAME = 41  # QuickBooks Desktop list names (employees, jobs) hold at most 41 characters


@dataclass(frozen=True)
class Identity:
    """A technician in one payroll system."""

    employee_id: str | None = None
    employee_name: str | None = None


def windows_1252_problem(text: str) -> str | None:
    try:
        text.encode(QUICKBOOKS_ENCODING)
    except UnicodeEncodeError as error:
        return (f"{text!r} holds {text[error.start]!r}, which QuickBooks Desktop's Windows-1252 "
                "cannot represent")
    return None


def identity_problem(provider: str, identity: Identity | None) -> str | None:
    """Why `identity` cannot identify a technician in `provider`'s file, or None."""
    label = PROVIDERS[provider]
    if provider == "iif":
        name = (identity.employee_name if identity else None) or ""
        if not name:
            return f"no {label}"
        if len(name) > QUICKBOOKS_NAME:
            return f"{label} {name!r} is longer than QuickBooks' {QUICKBOOKS_NAME} characters"
        problem = text_problem(name) or windows_1252_problem(name)
        return f"{label} {problem}" if problem else None
    employee = (identity.employee_id if identity else None) or ""
    if not employee:
        return f"no {label}"
    if provider == "adp" and not (employee.isascii() and employee.isdigit() and len(employee) <= ADP_FILE_NUMBER):
        return f"{label} {employee!r} is not 1 to {ADP_FILE_NUMBER} digits"
    if provider == "paychex" and not re.fullmatch(rf"[A-Za-z0-9]{{1,{PAYCHEX_WORKER_ID}}}", employee):
        return f"{label} {employee!r} is not 1 to {PAYCHEX_WORKER_ID} letters and digits"
    if provider == "gusto" and not re.fullmatch(r"[A-Za-z0-9]{1,64}", employee):
        return f"{label} {employee!r} is not letters and digits"
    return None


def adp_file_number(employee_id: str) -> str:
    """"42" -> "000042"."""
    return employee_id.zfill(ADP_FILE_NUMBER)


def job_problem(job: str | None) -> str | None:
    """Why a QuickBooks job name cannot go in an IIF file, or None."""
    if not job:
        return "no QuickBooks job"
    if any(len(part) > QUICKBOOKS_NAME for part in job.split(":")):  # "Customer:Job", each a list name
        return f"QuickBooks job {job!r} has a part longer than QuickBooks' {QUICKBOOKS_NAME} characters"
    problem = text_problem(job) or windows_1252_problem(job)
    return f"QuickBooks job {problem}" if problem else None
