"""The API's JSON parser: DRF's, made strict about what Python's json module lets through.

- ``NaN``, ``Infinity`` and numbers too large for a float (``1e400``) are not JSON numbers any client means;
  they became ``inf`` and then an OverflowError deep in a field. Refused as a parse error.
- A body nested thousands deep raised RecursionError. Nesting is refused past ``MAX_DEPTH`` levels, before
  the body reaches the json module, and a RecursionError is a parse error too.

Every refusal is a 400 in the API's error shape (claims/api/exceptions.py). NUL characters never get here:
RequestGuardMiddleware refuses them for every face at once.
"""

import json
import math

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request of this API nests deeper than three levels; 32 leaves room and stays far below the recursion limit.
MAX_DEPTH = 32


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is too large")
    return value


def nesting_depth(text):
    """How deep ``[`` and ``{`` nest in a JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - the body is not {encoding}: {exc}") from None
        if text.count("[") + text.count("{") > MAX_DEPTH and nesting_depth(text) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.")
        try:
            return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
