"""Task categories: the company's names for time on the clock that is not a work order
(shop, training, admin...), each billable or not and active between two dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class TaskCategory:
    id: str
    name: str
    billable: bool = False
    active_from: date | None = None  # None: since always
    active_to: date | None = None  # inclusive; None: still active

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to)


def category_problem(categories: Mapping[str, TaskCategory], category_id: str, day: date) -> str | None:
    """Why time on `day` cannot go to `category_id`, or None if it can."""
    category = categories.get(category_id)
    if category is None:
        return f"no task category {category_id}"
    if not category.active_on(day):
        return f"{category.name} is not in use on {day:%b %d, %Y}"
    return None


def billable_categories(categories: Mapping[str, TaskCategory]) -> frozenset[str]:
    """The ids whose time counts as billable, as the engine's billable work orders."""
    return frozenset(c.id for c in categories.values() if c.billable)


def label(categories: Mapping[str, TaskCategory], work_order: str | None) -> str:
    """How a visit's or leg's target reads: a category's name, else the work order's id."""
    if work_order is None:
        return "no work order"
    category = categories.get(work_order)
    return category.name if category else work_order
