"""The markets and districts endpoints: the generic tests plus what is theirs."""

import pytest
from django.urls import reverse

from markets.models import Market
from registry.models import District
from tests.api.endpoint import (
    THROTTLE_QUERIES,
    EndpointTests,
    FilterTests,
    OrderingTests,
    WritableEndpointTests,
)
from tests.factories import MarketFactory, district


class TestMarketEndpoint(FilterTests, OrderingTests, WritableEndpointTests):
    model = Market
    url_name = "market"
    list_queries = 5 + THROTTLE_QUERIES  # token, 2 × permissions, count, page; throttle
    csv_columns = ["code", "name", "district", "district_name", "address", "market_class"]
    patch_payload = {"market_class": "2", "business_points": 320}
    concurrent_change = {"address": "Phường Đồng Xuân (sửa cùng lúc)"}
    invalid_payload = {"area_m2": "0", "year_built": 1700}
    invalid_field = "area_m2"
    ordering_param = "business_points"
    ordering_values = ({"business_points": 80}, {"business_points": 450})

    def make(self, district_code, **fields):
        return MarketFactory(district=district(district_code), **fields)

    def create_payload(self, district_code):
        return {
            "code": "CHO-DONG-XUAN",
            "name": "Chợ Đồng Xuân",
            "district": district_code,
            "address": "Phường Đồng Xuân",
            "market_class": "1",
            "kind": "wholesale",
            "construction": "permanent",
            "capital": "state_budget",
            "management": "enterprise",
            "business_points": 2000,
            "area_m2": "13000.00",
            "year_built": 1889,
            "status": "operating",
            "status_since": "1994-01-01",
        }

    def full_payload(self, obj, district_code):
        return {**self.create_payload(district_code), "code": obj.code}

    def filter_cases(self):
        MarketFactory(code="CHO-DONG-XUAN", name="Chợ Đồng Xuân", market_class="1")
        MarketFactory(
            code="CHO-PHIA-NAM",
            district=district("008"),
            kind="wholesale",
            status="under_renovation",
            market_class="1",
        )
        MarketFactory(code="CHO-KIM-LIEN", district=district("006"), market_class=None)
        MarketFactory(code="CHO-DEM", district=district("006"), kind="night", market_class="3")
        return [
            ({"district": "006"}, {"CHO-KIM-LIEN", "CHO-DEM"}),
            ({"district": ["006", "008"]}, {"CHO-KIM-LIEN", "CHO-DEM", "CHO-PHIA-NAM"}),
            ({"status": "under_renovation"}, {"CHO-PHIA-NAM"}),
            ({"market_class": "1"}, {"CHO-DONG-XUAN", "CHO-PHIA-NAM"}),
            ({"market_class": "null"}, {"CHO-KIM-LIEN"}),
            ({"kind": "night"}, {"CHO-DEM"}),
            ({"kind": ["night", "wholesale"]}, {"CHO-DEM", "CHO-PHIA-NAM"}),
            ({"search": "Đồng Xuân"}, {"CHO-DONG-XUAN"}),
            ({"search": "cho-kim"}, {"CHO-KIM-LIEN"}),
        ]


@pytest.mark.django_db
class TestMarketSpecifics:
    def test_class_mismatch_is_a_flag_not_a_refusal(self):
        client = TestMarketEndpoint().department("add", "view")
        payload = {
            **TestMarketEndpoint().create_payload("002"),
            "market_class": "1",
            "business_points": 120,  # the criteria say class 3
        }
        response = client.post(reverse("api:market-list"), payload, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["class_matches_criteria"] is False
        unclassified = MarketFactory(market_class=None)
        body = client.get(reverse("api:market-detail", kwargs={"code": unclassified.code})).json()
        assert body["class_matches_criteria"] is None
        assert body["market_class"] is None
        assert body["area_m2"] == "2500.00"

    def test_invalid_choice_is_400_per_field(self):
        client = TestMarketEndpoint().department("add")
        payload = {**TestMarketEndpoint().create_payload("002"), "kind": "floating"}
        response = client.post(reverse("api:market-list"), payload, format="json")
        assert response.status_code == 400
        assert "kind" in response.json()
        assert not Market.objects.exists()


class TestDistrictEndpoint(EndpointTests):
    model = District
    url_name = "district"
    read_only = True
    list_queries = 5 + THROTTLE_QUERIES
    csv_columns = ["code", "name", "kind", "active"]

    def make(self, district_code, **fields):
        return district(district_code)

    def test_takes_no_filter_or_ordering(self):
        """Reference data, always whole and by code: filter or ordering parameters of the
        other lists change nothing here (neither refused nor applied)."""
        client = self.department("view")
        whole = client.get(self.list_url(), {"page_size": 100}).json()
        codes = [row["code"] for row in whole["results"]]
        assert codes == sorted(codes) and len(codes) == 30
        for params in ({"ordering": "-name"}, {"ordering": "no_such_field"}, {"code": "017"},
                       {"district": "017"}, {"kind": "rural"}):  # fmt: skip
            response = client.get(self.list_url(), {**params, "page_size": 100})
            assert response.status_code == 200, params
            assert response.json() == whole, params

    def test_list(self):
        body = self.department("view").get(self.list_url(), {"page_size": 100}).json()
        assert body["count"] == 30
        assert body["results"][0] == {
            "code": "001",
            "name": "Ba Đình",
            "kind": "urban",
            "active": True,
        }

    def test_csv(self):
        response = self.department("view").get(self.list_url(), {"format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        assert lines[0] == "code,name,kind,active"
        assert "001,Ba Đình,urban,true" in lines
        assert len(lines) == 31

    def test_list_query_count_does_not_depend_on_page_size(self, django_assert_num_queries):
        client = self.department("view")
        for page_size in (1, 50):
            with django_assert_num_queries(self.list_queries):
                response = client.get(self.list_url(), {"page_size": page_size})
            assert len(response.json()["results"]) == min(page_size, 30)

    def test_writes_are_405(self):
        client = self.department("view", "add", "change", "delete")
        response = client.post(self.list_url(), {"code": "999"}, format="json")
        assert response.status_code == 405
        assert response["Content-Type"].startswith("application/json")
        detail = self.detail_url(district("017"))
        assert client.delete(detail).status_code == 405
        assert District.objects.filter(code="017").exists()
