"""The JSON Schema of a report's JSON (the same document for the download, the API and
the snapshot), kept in the repository beside this module."""

import json
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).parent / "schemas" / "inclusion-report.schema.json"


@cache
def report_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())
