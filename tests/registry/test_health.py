"""/healthz: 200 with a small JSON while the database answers, 503 when it does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connections


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_needs_no_login_and_no_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client, caplog):
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert "database unreachable" in caplog.text


@pytest.mark.django_db
def test_healthz_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
