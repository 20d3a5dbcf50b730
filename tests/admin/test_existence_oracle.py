"""Out of scope and unknown look the same (issue 14.9): naming another district's cluster
(writing an inspection for it, filtering by it, importing rows for it) is answered exactly as
a code that does not exist, and a duplicate code says only that the code is taken."""

import pytest
from django.urls import reverse

from clusters.models import WastewaterInspection
from tests.admin.helpers import upload
from tests.api.conftest import grant, token_client
from tests.factories import ClusterFactory, InspectionFactory, UserFactory, district

pytestmark = pytest.mark.django_db

THEIRS = "CCN-XA-CAU"  # a cluster of Ứng Hòa (281)
NOBODYS = "CCN-KHONG-CO"  # no such cluster anywhere


@pytest.fixture
def world():
    mine = ClusterFactory(code="CCN-CUA-TOI", name="Cụm của tôi", district=district("017"))
    theirs = ClusterFactory(code=THEIRS, name="Cụm Bí Mật", district=district("281"))
    return {"mine": mine, "theirs": theirs, "inspection": InspectionFactory(cluster=mine)}


@pytest.fixture
def api():
    user = UserFactory(username="oracle-api", districts=[district("017")])
    grant(
        user,
        *(
            f"clusters.{action}_{model}"
            for model in ("industrialcluster", "wastewaterinspection")
            for action in ("view", "add", "change")
        ),
    )
    return token_client(user)


def shape(response, code: str):
    """Status and body with the code the request sent taken out: what else it tells."""
    return response.status_code, response.content.decode().replace(code, "<code>")


def inspection_body(cluster_code):
    return {
        "cluster": cluster_code,
        "inspected_on": "2023-03-01",
        "result": "meets",
        "standard": "qcvn40_2011_b",
        "reference": "KQ-1",
    }


def test_an_inspection_for_another_districts_cluster_reads_as_unknown(api, world):
    theirs = api.post("/api/v1/inspections/", inspection_body(THEIRS), format="json")
    unknown = api.post("/api/v1/inspections/", inspection_body(NOBODYS), format="json")
    assert theirs.status_code == 400
    assert shape(theirs, THEIRS) == shape(unknown, NOBODYS)
    assert "Ứng Hòa" not in theirs.content.decode() and "281" not in theirs.content.decode()
    assert not WastewaterInspection.objects.filter(cluster=world["theirs"]).exists()


def test_moving_an_inspection_to_another_districts_cluster_reads_as_unknown(api, world):
    url = f"/api/v1/inspections/{world['inspection'].pk}/"
    theirs = api.patch(url, {"cluster": THEIRS}, format="json")
    unknown = api.patch(url, {"cluster": NOBODYS}, format="json")
    assert theirs.status_code == 400
    assert shape(theirs, THEIRS) == shape(unknown, NOBODYS)
    world["inspection"].refresh_from_db()
    assert world["inspection"].cluster == world["mine"]


def test_the_inspection_filter_reads_another_districts_cluster_as_unknown(api, world):
    theirs = api.get("/api/v1/inspections/", {"cluster": THEIRS})
    unknown = api.get("/api/v1/inspections/", {"cluster": NOBODYS})
    assert theirs.status_code == 400
    assert shape(theirs, THEIRS) == shape(unknown, NOBODYS)
    # Its own cluster still filters.
    mine = api.get("/api/v1/inspections/", {"cluster": world["mine"].code})
    assert mine.status_code == 200 and mine.json()["count"] == 1


def test_a_duplicate_code_says_only_that_it_is_taken(api, world):
    """Codes are unique city-wide, so a taken code cannot read as free; the answer is the
    same whether the holder is in the caller's districts or not, and names nothing of it."""

    def create(code):
        body = {
            "code": code,
            "name": "Cụm mới",
            "district": "017",
            "area_ha": "5",
            "established_on": "2020-01-01",
        }
        return api.post("/api/v1/clusters/", body, format="json")

    theirs, mine = create(THEIRS), create(world["mine"].code)
    assert theirs.status_code == 400
    assert shape(theirs, THEIRS) == shape(mine, world["mine"].code)
    body = theirs.content.decode()
    assert "Cụm Bí Mật" not in body and "Ứng Hòa" not in body and "281" not in body


def test_import_rows_for_another_districts_cluster_read_as_unknown(client, dong_anh_staff):
    """The same real file, once with the file's cluster in another district, once with no
    such cluster at all: the preview says the same."""
    client.force_login(dong_anh_staff)
    unknown = upload(client, "clusters_wastewaterinspection", "inspections_valid.csv")
    ClusterFactory(code="CCN-THIET-BINH", name="Cụm Bí Mật", district=district("281"))
    theirs = upload(client, "clusters_wastewaterinspection", "inspections_valid.csv")
    text_unknown, text_theirs = (r.content.decode() for r in (unknown, theirs))
    assert "Không có cụm công nghiệp nào có mã CCN-THIET-BINH." in text_theirs
    assert "Không có cụm công nghiệp nào có mã CCN-THIET-BINH." in text_unknown
    assert "không thuộc các quận/huyện bạn phụ trách" not in text_theirs
    assert "Cụm Bí Mật" not in text_theirs
    assert not WastewaterInspection.objects.exists()


def test_the_admin_inspection_form_reads_another_districts_cluster_as_unknown(
    client, dong_anh_staff, world
):
    client.force_login(dong_anh_staff)
    url = reverse("admin:clusters_wastewaterinspection_add")
    data = {
        "inspected_on": "2023-03-01",
        "result": "meets",
        "standard": "qcvn40_2011_b",
        "agency": "",
        "reference": "",
        "exceeded_parameters": "",
        "note": "",
    }
    theirs = client.post(url, {**data, "cluster": world["theirs"].pk})
    unknown = client.post(url, {**data, "cluster": 987654})
    errors = [r.context["adminform"].form.errors["cluster"] for r in (theirs, unknown)]
    assert [str(e).replace(str(world["theirs"].pk), "") for e in errors[:1]] == [
        str(e).replace("987654", "") for e in errors[1:]
    ]
    assert "Cụm Bí Mật" not in theirs.content.decode()


def test_extension_import_rows_for_another_districts_cluster_read_as_unknown(
    client, dong_anh_staff
):
    """Schedule extensions name clusters the same way inspections do: another district's
    cluster and a code that does not exist give the same message."""
    client.force_login(dong_anh_staff)
    extensions = "clusters_scheduleextension"
    unknown = upload(client, extensions, "schedule_extensions_valid.csv").content.decode()
    ClusterFactory(code="CCN-TAM-HIEP", name="Cụm Bí Mật", district=district("281"))
    theirs = upload(client, extensions, "schedule_extensions_valid.csv").content.decode()
    message = "Không có cụm công nghiệp nào có mã"
    assert message in unknown and message in theirs
    assert "không thuộc các quận/huyện bạn phụ trách" not in theirs
    assert "Cụm Bí Mật" not in theirs
