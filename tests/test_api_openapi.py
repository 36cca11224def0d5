"""Schemathesis against the OpenAPI document of a real server, with a bounded budget:
requests generated from the document (valid ones and, for the inputs, invalid ones), no
5xx, every status and content type documented, every answer valid against its schema."""

import json

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ssreg.api.openapi import document
from ssreg.output.i18n import LANGUAGES


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
LINES = "application/x-ndjson"


@schemathesis.serializer(LINES)
def _lines(ctx, value):
    """A JSON Lines body: one item of the generated array a line."""
    items = value if isinstance(value, list) else [value]
    return {"data": "".join(json.dumps(item) + "\n" for item in items).encode()}


@schemathesis.deserializer(LINES)
def _read_lines(ctx, response):
    """JSON Lines answers are checked line by line as the array their schema describes."""
    return [json.loads(line) for line in response.content.decode().splitlines() if line]


# the document the server serves (test_api_server checks they are equal); loaded here
# rather than from the server so that each operation is a test of its own
schema = schemathesis.openapi.from_dict(document(languages=LANGUAGES))


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_document(case, api_server):
    case.call_and_validate(base_url=api_server.url, checks=CHECKS)


def test_the_document_is_valid_openapi_3_1():
    """Schemathesis loads it (above); here: every reference resolves and each published
    model appears once."""
    doc = document(languages=LANGUAGES)
    text = json.dumps(doc)
    components = doc["components"]["schemas"]
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        kind, name = ref.removeprefix("#/components/").split("/")
        assert name in doc["components"][kind], ref
    assert "$defs" not in text and "$id" not in text
    for model in ("Student", "Document", "Claim", "Cover", "Case", "Dossier", "Event"):
        assert model in components
