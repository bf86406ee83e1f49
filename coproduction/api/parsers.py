"""JSON request bodies: DRF's parser, answering two more kinds of bad input with a 400.

- JSON nested deeper than Python's recursion limit (`[[[[...]]]]`) raises RecursionError,
  which DRF's parser lets through as a 500; and bodies are parsed while the caller is
  still being authenticated, so anyone, with or without a token, could cause one.
- A number too large for a float (`1e400`) parses as infinity, which reaches the fields
  as a value no integer or decimal field expects (OverflowError, a 500).
"""

import codecs
import json
import math

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=strict_constant,
                parse_float=_finite_float,
            )
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
