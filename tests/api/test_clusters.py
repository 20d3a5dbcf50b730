"""The clusters and inspections endpoints: the generic tests plus what is theirs."""

import datetime

import pytest
from django.urls import reverse

from clusters.models import IndustrialCluster, WastewaterInspection
from tests.api.endpoint import (
    THROTTLE_QUERIES,
    FilterTests,
    OrderingTests,
    WritableEndpointTests,
)
from tests.factories import ClusterFactory, InspectionFactory, district

D = datetime.date


def operating_cluster(district_code="017", **fields):
    """A cluster in operation since 2018 with a plant since 2019."""
    defaults = {
        "established_on": D(2015, 1, 1),
        "construction_started_on": D(2016, 1, 1),
        "operating_since": D(2018, 1, 1),
        "wwtp_operating_since": D(2019, 1, 1),
    }
    return ClusterFactory(district=district(district_code), **{**defaults, **fields})


class TestClusterEndpoint(FilterTests, OrderingTests, WritableEndpointTests):
    model = IndustrialCluster
    url_name = "cluster"
    list_queries = 5 + THROTTLE_QUERIES  # token, 2 × permissions, count, page; throttle
    csv_columns = ["code", "name", "district", "district_name", "address", "area_ha"]
    patch_payload = {"name": "Cụm công nghiệp Ngọc Hồi (mở rộng)"}
    concurrent_change = {"developer": "Công ty phát triển hạ tầng (sửa cùng lúc)"}
    invalid_payload = {"construction_started_on": "2010-01-01", "established_on": "2012-01-01"}
    invalid_field = "non_field_errors"
    ordering_param = "name"
    ordering_values = ({"name": "Cụm An Khánh"}, {"name": "Cụm Bình Phú"})

    def make(self, district_code, **fields):
        return ClusterFactory(district=district(district_code), **fields)

    def create_payload(self, district_code):
        return {
            "code": "ccn-ngoc-hoi-2",  # normalised to upper case by the model
            "name": "Cụm công nghiệp Ngọc Hồi 2",
            "district": district_code,
            "area_ha": "42.50",
            "established_on": "2019-03-01",
            "wwtp_standard": "qcvn40_2011_b",
        }

    def full_payload(self, obj, district_code):
        return {
            "code": obj.code,
            "name": obj.name,
            "district": district_code,
            "area_ha": "31.00",
            "established_on": "2015-01-01",
            "operating_since": "2018-05-01",
        }

    def filter_cases(self):
        ops = operating_cluster("017", code="CCN-OPS")
        InspectionFactory(cluster=ops, inspected_on=D(2021, 6, 1), result="meets")
        failing = operating_cluster("281", code="CCN-FAIL", name="Cụm Bắc Vân Đình")
        InspectionFactory(cluster=failing, inspected_on=D(2021, 6, 1), result="fails")
        ClusterFactory(code="CCN-NEW", established_on=D(2020, 1, 1), developer="Tổng công ty X")
        planned = ClusterFactory(code="CCN-LATER", established_on=D(2023, 1, 1))
        at = "2021-12-31"
        return [
            ({"as_of": at, "status": "operating"}, {"CCN-OPS", "CCN-FAIL"}),
            ({"as_of": at, "status": ["established", "planned"]}, {"CCN-NEW", planned.code}),
            ({"as_of": "2019-06-01", "status": "operating"}, {"CCN-OPS", "CCN-FAIL"}),
            ({"as_of": "2017-06-01", "status": "operating"}, set()),
            ({"as_of": at, "wastewater_state": "compliant"}, {"CCN-OPS"}),
            ({"as_of": at, "wastewater_state": "failed"}, {"CCN-FAIL"}),
            (
                {"as_of": "2023-12-31", "wastewater_state": "stale_evidence"},
                {"CCN-OPS", "CCN-FAIL"},
            ),
            ({"district": "281"}, {"CCN-FAIL"}),
            (
                {"district": ["281", "017"], "as_of": at, "status": "operating"},
                {"CCN-OPS", "CCN-FAIL"},
            ),
            # Case-insensitive for ASCII everywhere; for Vietnamese letters SQLite's LIKE
            # only folds ASCII, PostgreSQL folds all.
            ({"search": "Vân Đình"}, {"CCN-FAIL"}),
            ({"search": "Tổng công ty"}, {"CCN-NEW"}),
            ({"search": "ccn-ops"}, {"CCN-OPS"}),
        ]


@pytest.mark.django_db
class TestClusterSpecifics:
    def client(self):
        return TestClusterEndpoint().department("view", "add", "change")

    def test_status_state_and_latest_inspection_at_as_of(self):
        cluster = operating_cluster(code="CCN-NGOC-HOI")
        InspectionFactory(cluster=cluster, inspected_on=D(2021, 3, 1), result="meets")
        InspectionFactory(cluster=cluster, inspected_on=D(2021, 3, 1), result="fails")
        url = reverse("api:cluster-detail", kwargs={"code": "CCN-NGOC-HOI"})
        client = self.client()
        body = client.get(url, {"as_of": "2021-12-31"}).json()
        assert body["status"] == "operating"
        assert body["wastewater_state"] == "failed"  # a fails wins on the same date
        assert body["latest_inspection"] == {
            "inspected_on": "2021-03-01",
            "result": "fails",
            "standard": "qcvn40_2011_b",
        }
        assert body["district"] == "017"
        assert body["district_name"] == district("017").name
        assert body["area_ha"] == "30.00"  # decimals are strings
        early = client.get(url, {"as_of": "2016-06-01"}).json()
        assert early["status"] == "under_construction"
        assert early["wastewater_state"] == "not_operating"
        assert early["latest_inspection"] is None

    def test_invalid_as_of_is_400_json(self):
        client = self.client()
        cluster = ClusterFactory()
        for url in (
            reverse("api:cluster-list"),
            reverse("api:cluster-detail", kwargs={"code": cluster.code}),
        ):
            for bad in ("12/31/2021", "2021-02-30", "0001-01-01", "9999-12-31"):
                response = client.get(url, {"as_of": bad})
                assert response.status_code == 400, bad
                assert "as_of" in response.json()

    def test_invalid_filter_values_are_400(self):
        client = self.client()
        for params in ({"status": "sleeping"}, {"district": "999"}, {"wastewater_state": "x"}):
            response = client.get(reverse("api:cluster-list"), params)
            assert response.status_code == 400, params
            assert set(params) <= set(response.json())

    def test_model_validation_messages_per_field(self):
        response = self.client().post(
            reverse("api:cluster-list"),
            {"code": "bad code!", "name": "X", "district": "017", "area_ha": "0"},
            format="json",
        )
        assert response.status_code == 400
        body = response.json()
        assert "code" in body and "area_ha" in body

    def test_create_into_inactive_district_is_refused(self):
        sơn_tây = district("269")
        sơn_tây.active = False
        sơn_tây.save()
        payload = TestClusterEndpoint().create_payload("269")
        response = self.client().post(reverse("api:cluster-list"), payload, format="json")
        assert response.status_code == 400
        assert "district" in response.json()

    def test_created_code_is_normalised(self):
        payload = TestClusterEndpoint().create_payload("017")
        response = self.client().post(reverse("api:cluster-list"), payload, format="json")
        assert response.status_code == 201
        assert response.json()["code"] == "CCN-NGOC-HOI-2"
        assert response.json()["status"] == "established"

    def test_deleting_a_cluster_with_inspections_is_refused(self):
        cluster = InspectionFactory().cluster
        client = TestClusterEndpoint().department("delete", "view")
        response = client.delete(reverse("api:cluster-detail", kwargs={"code": cluster.code}))
        assert response.status_code == 409
        assert "detail" in response.json()
        assert IndustrialCluster.objects.filter(pk=cluster.pk).exists()

    def test_csv_keeps_vietnamese(self):
        ClusterFactory(code="CCN-THUY-LAM", name="Cụm công nghiệp Thụy Lâm")
        response = self.client().get(reverse("api:cluster-list"), {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Cụm công nghiệp Thụy Lâm" in text
        assert "latest_inspection.inspected_on" in text.splitlines()[0]


class TestInspectionEndpoint(FilterTests, OrderingTests, WritableEndpointTests):
    model = WastewaterInspection
    url_name = "inspection"
    lookup_field = "id"
    lookup_kwarg = "pk"
    list_queries = 5 + THROTTLE_QUERIES
    csv_columns = ["id", "cluster", "inspected_on", "result", "standard"]
    patch_payload = {"result": "fails", "exceeded_parameters": "COD, BOD5"}
    concurrent_change = {"reference": "BB-2021/SUA-CUNG-LUC"}
    invalid_payload = {"inspected_on": "2999-01-01"}  # the model's clean(): not in the future
    invalid_field = "inspected_on"
    ordering_param = "inspected_on"
    ordering_values = ({"inspected_on": D(2021, 1, 5)}, {"inspected_on": D(2021, 7, 9)})

    def make(self, district_code, **fields):
        cluster = ClusterFactory(district=district(district_code))
        return InspectionFactory(cluster=cluster, **fields)

    def create_payload(self, district_code):
        cluster = ClusterFactory(district=district(district_code))
        return {
            "cluster": cluster.code,
            "inspected_on": "2021-11-20",
            "result": "meets",
            "standard": "qcvn40_2011_b",
            "agency": "Sở Tài nguyên và Môi trường Hà Nội",
            "reference": "BB-2021/115",
        }

    def full_payload(self, obj, district_code):
        cluster = (
            obj.cluster
            if obj.cluster.district.code == district_code
            else ClusterFactory(district=district(district_code))
        )
        return {
            "cluster": cluster.code,
            "inspected_on": "2021-10-01",
            "result": "meets",
            "standard": "qcvn40_2011_a",
        }

    def filter_cases(self):
        ngoc_hoi = ClusterFactory(code="CCN-NGOC-HOI", district=district("020"))
        xa_cau = ClusterFactory(code="CCN-XA-CAU", district=district("281"))
        a = InspectionFactory(cluster=ngoc_hoi, inspected_on=D(2020, 5, 1), result="meets")
        b = InspectionFactory(cluster=ngoc_hoi, inspected_on=D(2021, 5, 1), result="fails")
        c = InspectionFactory(cluster=xa_cau, inspected_on=D(2021, 8, 1), result="meets")
        return [
            ({"cluster": "CCN-NGOC-HOI"}, {a.id, b.id}),
            ({"district": "281"}, {c.id}),
            ({"result": "fails"}, {b.id}),
            ({"inspected_after": "2021-05-01"}, {b.id, c.id}),
            ({"inspected_before": "2021-05-01"}, {a.id, b.id}),
            ({"inspected_after": "2021-01-01", "inspected_before": "2021-06-30"}, {b.id}),
        ]

    def test_recording_an_inspection_changes_the_state(self):
        cluster = operating_cluster(code="CCN-DUC-TU")
        url = reverse("api:cluster-detail", kwargs={"code": "CCN-DUC-TU"})
        client = self.department("add", "view")
        grant_view_clusters(client, cluster)
        before = client.get(url, {"as_of": "2021-12-31"}).json()
        assert before["wastewater_state"] == "no_evidence"
        response = client.post(
            reverse("api:inspection-list"),
            {
                "cluster": "ccn-duc-tu",
                "inspected_on": "2021-09-15",
                "result": "meets",
                "standard": "qcvn40_2011_b",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["cluster"] == "CCN-DUC-TU"
        after = client.get(url, {"as_of": "2021-12-31"}).json()
        assert after["wastewater_state"] == "compliant"

    def test_unknown_cluster_is_400(self):
        payload = {**self.create_payload(self.home), "cluster": "CCN-NOPE"}
        response = self.department("add").post(reverse("api:inspection-list"), payload)
        assert response.status_code == 400
        assert "cluster" in response.json()


def grant_view_clusters(client, cluster):
    from django.contrib.auth import get_user_model

    from tests.api.conftest import grant

    user = get_user_model().objects.get(username="department-api")
    grant(user, "clusters.view_industrialcluster")
