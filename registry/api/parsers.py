"""The API's JSON parser: DRF's, refusing bodies nested too deeply with a 400.

No write of the API takes nesting (every body is one flat object), and a body of a thousand
nested brackets made Python's decoder raise RecursionError, a 500.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: deepest nesting accepted in a request body (a flat object of values is depth 1)
MAX_DEPTH = 20


def depth_exceeds(data, limit: int) -> bool:
    """Whether ``data`` nests lists and objects more than ``limit`` deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("The JSON body is nested too deeply (at most %(limit)d levels).") % {
            "limit": MAX_DEPTH
        }
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(message)
        return data
