"""Task categories as the rules take them: in use between two dates (both inclusive),
billable ones counted as billable work orders, named where a page shows them."""

from __future__ import annotations

from datetime import date

from hub.rules.task_categories import TaskCategory, billable_categories, category_problem, label

CATEGORIES = {c.id: c for c in (
    TaskCategory("non-billable:shop", "Shop"),
    TaskCategory("prep", "Van prep", billable=True, active_from=date(2026, 3, 1)),
    TaskCategory("old", "Old project", active_to=date(2026, 2, 28)),
)}


def test_a_category_is_in_use_from_its_first_to_its_last_day():
    assert category_problem(CATEGORIES, "prep", date(2026, 3, 1)) is None
    assert category_problem(CATEGORIES, "prep", date(2026, 2, 28)) == "Van prep is not in use on Feb 28, 2026"
    assert category_problem(CATEGORIES, "old", date(2026, 2, 28)) is None
    assert category_problem(CATEGORIES, "old", date(2026, 3, 1)) == "Old project is not in use on Mar 01, 2026"
    assert category_problem(CATEGORIES, "nope", date(2026, 3, 1)) == "no task category nope"


def test_billable_categories_and_labels():
    assert billable_categories(CATEGORIES) == frozenset({"prep"})
    assert [label(CATEGORIES, w) for w in ("non-billable:shop", "WO-7", None)] == ["Shop", "WO-7", "no work order"]
