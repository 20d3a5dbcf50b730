"""``/api/v1/units/``: the administrative units of both maps."""

import pytest

from tests.api.conftest import token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/"


@pytest.fixture
def client(db):
    # Reference data: any signed-in account reads it, whatever its scope.
    return token_client(UserFactory(username="units-reader"))


def test_level_commune_lists_126_units_with_official_codes(client):
    response = client.get(URL, {"level": "commune", "page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 126
    by_code = {row["code"]: row for row in body["results"]}
    assert by_code["00070"]["name"] == "Phường Hoàn Kiếm"
    assert by_code["00679"] == {
        "code": "00679",
        "name": "Xã Ngọc Hồi",
        "level": "commune",
        "kind": "commune",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "successors": [],
    }


def test_district_shows_its_successors(client):
    response = client.get(f"{URL}020/")
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["valid_to"]) == ("district", "2025-06-30")
    codes = [s["code"] for s in body["successors"]]
    assert "00679" in codes and codes == sorted(codes)
    assert all(s["whole"] is False for s in body["successors"])


@pytest.mark.parametrize(
    "day, count", [("2024-12-14", 30), ("2025-06-30", 30), ("2025-07-01", 126)]
)
def test_valid_on(client, day, count):
    assert client.get(URL, {"valid_on": day}).json()["count"] == count


def test_search_by_name_or_code(client):
    names = [r["name"] for r in client.get(URL, {"search": "ngọc hồi"}).json()["results"]]
    assert names == ["Xã Ngọc Hồi"]
    assert client.get(URL, {"search": "0007"}).json()["results"][0]["code"] == "00070"


@pytest.mark.parametrize("params", [{"level": "province"}, {"valid_on": "14/13/2025"}])
def test_bad_filters_are_400(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) & set(params)


def test_anonymous_is_401(anonymous_client):
    assert anonymous_client.get(URL).status_code == 401


def test_read_only(client):
    assert client.post(URL, {"code": "99999"}).status_code == 405


def test_csv(client):
    response = client.get(URL, {"level": "district", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Hoàn Kiếm" in text and len(text.strip().splitlines()) == 31
