"""Real HTTP calls against the live server (pytest-django's ``live_server``), as a client
outside the project would make them: urllib, a token in the ``Authorization`` header, a JSON
body, and the answer whatever its status (urllib raises for 4xx/5xx and 304; here they are
answers like any other)."""

import json
import urllib.error
import urllib.request
from typing import Any, NamedTuple

JSON = "application/json"


class Response(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON (``None`` for an empty body)."""
        return json.loads(self.body or b"null")


def request(
    url: str,
    token: str | None = None,
    method: str = "GET",
    body: Any = None,
    *,
    accept: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Response:
    """``method`` ``url``: with ``Authorization: Token <token>`` when a token is given,
    ``body`` sent as JSON when given, ``Accept: <accept>`` when given, then ``headers``."""
    sent = {}
    if accept:
        sent["Accept"] = accept
    if token:
        sent["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = JSON
    sent.update(headers or {})
    call = urllib.request.Request(url, data=data, headers=sent, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:  # noqa: S310
            return Response(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read())


def call_api(url: str, token: str | None = None, method: str = "GET", body: Any = None):
    """A JSON API call: ``(status, the decoded body)``."""
    response = request(url, token, method, body, accept=JSON)
    return response.status, response.json()
