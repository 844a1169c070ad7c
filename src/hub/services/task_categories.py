"""The company's task categories as the rules take them, and the check that time may go to
a category or a work order on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules.task_categories import TaskCategory, category_problem
from hub.services.problems import Invalid
from hub.services.scope import Viewer
from hub.store.models import TaskCategory as TaskCategoryRow
from hub.store.models import WorkOrder


def categories(session: Session) -> dict[str, TaskCategory]:
    return {row.id: TaskCategory(row.id, row.name, row.billable, row.active_from, row.active_to)
            for row in session.scalars(select(TaskCategoryRow).order_by(TaskCategoryRow.name))}


def check_category(session: Session, category_id: str, day: date, field: str = "category") -> TaskCategory:
    found = categories(session)
    problem = category_problem(found, category_id, day)
    if problem:
        raise Invalid(field, problem)
    return found[category_id]


def check_target(session: Session, viewer: Viewer, target: str, day: date, field: str = "work_order") -> WorkOrder | None:
    """A work order the viewer sees, or (None) a category in use on `day`; Invalid otherwise."""
    found = categories(session)
    if target in found:
        problem = category_problem(found, target, day)
        if problem:
            raise Invalid(field, problem)
        return None
    try:
        return viewer.work_order(session, target)
    except LookupError:
        raise Invalid(field, f"no work order or task category {target}") from None
