"""What the API accepts before any view runs, in one place: query values and path ids
bounded in length, characters and range (a NUL or a 20-digit id never reaches the
database), JSON bodies bounded in nesting, dates within the years the hub keeps. Each
refusal is an `ApiError`, a 4xx JSON problem naming the field."""

from __future__ import annotations

import json
from datetime import date
from typing import TypeVar

from flask import request
from pydantic import BaseModel

from hub.services.problems import Invalid
from hub.web.api_schemas import FIRST_YEAR, LAST_YEAR
from hub.web.views import parse_day

MAX_QUERY_CHARS = 200
MAX_PATH_ID_CHARS = 64
MAX_ROW_ID = 2**31 - 1  # the largest integer key both backends store
# Python's parser gives up near its recursion limit (about 1,000); no body needs a tenth.
MAX_JSON_DEPTH = 32
Model = TypeVar("Model", bound=BaseModel)


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.error, self.message, self.field = status, error, message, field


def has_control(text: str) -> bool:
    """A C0 or C1 control character (NUL among them): refused in ids and query values."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def check_arguments() -> None:
    """Query values and path ids, before the view sees them."""
    from hub.web.openapi import query_names

    known = query_names(request.url_rule.rule, request.method) if request.url_rule else frozenset()
    for name, value in request.args.items(multi=True):
        if name not in known:
            raise ApiError(422, "invalid", "not a parameter of this operation", name)
        if has_control(value):
            raise ApiError(422, "invalid", "control characters (such as NUL) are not allowed", name)
        if len(value) > MAX_QUERY_CHARS:
            raise ApiError(422, "invalid", f"at most {MAX_QUERY_CHARS} characters", name)
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and not 0 < value <= MAX_ROW_ID:
            raise ApiError(404, "not_found", f"no {name.removesuffix('_id')} {value}", name)
        if isinstance(value, str) and (has_control(value) or len(value) > MAX_PATH_ID_CHARS):
            raise ApiError(422, "invalid", f"an id of at most {MAX_PATH_ID_CHARS} characters, without control characters",
                           name)


def _depth(value, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            if level > limit:
                return True
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def json_body(model: type[Model]) -> Model:
    """The request's JSON object, validated by `model` (pydantic names the field at fault)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send a JSON object with Content-Type: application/json", "body")
    try:
        data = json.loads(request.get_data(cache=False))
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "the body is not JSON (or nests too deeply)", "body") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "send a JSON object", "body")
    if _depth(data, MAX_JSON_DEPTH):
        raise ApiError(400, "invalid_json", f"the body nests deeper than {MAX_JSON_DEPTH} levels", "body")
    return model.model_validate(data)


def day_argument(name: str, default: date | None = None) -> date:
    text = request.args.get(name)
    if text is None:
        if default is None:
            raise ApiError(422, "invalid", f"give {name} as YYYY-MM-DD", name)
        return default
    try:
        day = parse_day(text, name)
    except Invalid as exc:
        raise ApiError(422, "invalid", exc.message, name) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ApiError(422, "invalid", f"give a date between {FIRST_YEAR} and {LAST_YEAR}", name)
    return day
