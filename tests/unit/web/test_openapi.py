"""The API's OpenAPI document is valid OpenAPI 3.1, and every request body it names is
the schema of the model that validates it."""

from __future__ import annotations

from openapi_spec_validator import validate

from hub.web.api_schemas import BODIES
from hub.web.openapi import document


def test_the_document_is_valid_openapi():
    validate(document())


def test_every_request_model_is_a_component():
    schemas = document()["components"]["schemas"]
    for model in BODIES:
        assert schemas[model.__name__]["properties"].keys() == model.model_json_schema()["properties"].keys()
