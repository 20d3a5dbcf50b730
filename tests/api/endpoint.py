"""Generic endpoint tests shared by every resource (NetBox's APIViewTestCases, for pytest).

A resource's test class sets the model, the URL name, how to make a record in a district,
the payloads, and its filter / ordering cases; it inherits every test below: anonymous 401,
no permission 403, list, retrieve (ETag), create, invalid create (400 per field, nothing
saved), update (PUT and PATCH), delete, each filter, ordering, CSV, If-Match / 412, district
scoping on reads and writes, and a query count that does not grow with the page size.
Write, filter and ordering tests are in ``WritableEndpointTests`` (with ``PreconditionTests``),
``FilterTests`` and ``OrderingTests``, which only resources that accept writes, filters or
ordering inherit: none is skipped, and none passes without asserting.
"""

import csv
import io

import pytest
from django.urls import resolve, reverse

from tests.api.conftest import grant, token_client
from tests.api.preconditions import PreconditionTests
from tests.factories import UserFactory, district

#: Every list endpoint's query count is pinned and is the same at page sizes 1 and 50.
PAGE_SIZES = (1, 50)
#: The throttle's count: one INSERT … ON CONFLICT … RETURNING (registry.api.throttling),
#: the same for every request.
THROTTLE_QUERIES = 1


@pytest.mark.django_db
class EndpointTests:
    model = None
    url_name = ""
    lookup_field = "code"
    #: The URL keyword of the detail route (``pk`` when the lookup is the id).
    lookup_kwarg = "code"
    read_only = False
    #: The district the records of the generic tests are made in, and another one.
    home = "017"  # Đông Anh, the district_user fixture's district
    other = "281"  # Ứng Hòa
    #: Queries of one list request by a department account with a token.
    list_queries: int = 0
    #: Columns the CSV must start with.
    csv_columns: list[str] = []

    # -- to be provided by the resource ------------------------------------------------------

    def make(self, district_code: str, **fields):
        raise NotImplementedError

    def create_payload(self, district_code: str) -> dict:
        raise NotImplementedError

    def full_payload(self, obj, district_code: str) -> dict:
        """A PUT body for ``obj``."""
        return self.create_payload(district_code)

    patch_payload: dict = {}
    #: A body refused by the model's validation, and the field the message is on.
    invalid_payload: dict = {}
    invalid_field = ""

    def key(self, item: dict):
        return item[self.lookup_field]

    # -- helpers -------------------------------------------------------------------------------

    @property
    def perm_prefix(self):
        meta = self.model._meta
        return meta.app_label, meta.model_name

    def perm(self, action):
        app_label, model_name = self.perm_prefix
        return f"{app_label}.{action}_{model_name}"

    def list_url(self):
        return reverse(f"api:{self.url_name}-list")

    def detail_url(self, obj):
        return reverse(
            f"api:{self.url_name}-detail",
            kwargs={self.lookup_kwarg: getattr(obj, self.lookup_field)},
        )

    def department(self, *actions):
        user = UserFactory(username="department-api")
        grant(user, "registry.access_all_districts", *(self.perm(a) for a in actions))
        return token_client(user)

    def district_staff(self, *actions):
        user = UserFactory(username="district-api", districts=[district(self.home)])
        grant(user, *(self.perm(a) for a in actions))
        return token_client(user)

    def fresh(self, obj):
        return type(obj)._default_manager.get(pk=obj.pk)

    # -- authentication and permission ---------------------------------------------------------

    def test_anonymous_gets_401_json(self, anonymous_client):
        obj = self.make(self.home)
        for response in (
            anonymous_client.get(self.list_url()),
            anonymous_client.get(self.detail_url(obj)),
        ):
            assert response.status_code == 401
            assert response["Content-Type"].startswith("application/json")
            assert "detail" in response.json()
        if not self.read_only:
            response = anonymous_client.post(self.list_url(), self.create_payload(self.home))
            assert response.status_code == 401

    def test_without_permission_gets_403(self, no_permission_user):
        obj = self.make(self.home)
        client = token_client(no_permission_user)
        assert client.get(self.list_url()).status_code == 403
        assert client.get(self.detail_url(obj)).status_code == 403
        if not self.read_only:
            count = self.model.objects.count()
            response = client.post(self.list_url(), self.create_payload(self.home), format="json")
            assert response.status_code == 403
            assert self.model.objects.count() == count
            assert client.delete(self.detail_url(obj)).status_code == 403
            assert self.model.objects.filter(pk=obj.pk).exists()

    # -- reads -----------------------------------------------------------------------------------

    def test_list(self):
        objs = [self.make(self.home), self.make(self.other)]
        response = self.department("view").get(self.list_url())
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        keys = {self.key(item) for item in body["results"]}
        assert {getattr(o, self.lookup_field) for o in objs} <= keys

    def test_retrieve_with_etag(self):
        obj = self.make(self.home)
        response = self.department("view").get(self.detail_url(obj))
        assert response.status_code == 200
        assert self.key(response.json()) == getattr(obj, self.lookup_field)
        if hasattr(obj, "version"):
            assert response["ETag"] == f'"{obj.version}"'

    def test_unknown_record_is_json_404(self):
        response = self.department("view").get(
            reverse(f"api:{self.url_name}-detail", kwargs={self.lookup_kwarg: "999999"})
        )
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")

    def test_csv(self):
        objs = [self.make(self.home) for _ in range(3)]
        response = self.department("view").get(self.list_url(), {"format": "csv", "page_size": 1})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert response.streaming
        raw = b"".join(response.streaming_content)
        assert raw.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][: len(self.csv_columns)] == self.csv_columns
        assert len(rows) == 1 + len(objs)  # every row, not one page

    def test_csv_error_is_json(self, no_permission_user):
        self.make(self.home)
        response = token_client(no_permission_user).get(self.list_url(), {"format": "csv"})
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()

    def test_page_size_is_capped_at_500(self, monkeypatch):
        paginator = resolve(self.list_url()).func.cls.pagination_class
        assert paginator.max_page_size == 500
        # The cap is applied, not only declared: lowered to 2, it cuts a request for more.
        monkeypatch.setattr(paginator, "max_page_size", 2)
        for _ in range(3):
            self.make(self.home)
        response = self.department("view").get(self.list_url(), {"page_size": 100000})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] >= 3
        assert len(body["results"]) == 2
        assert body["next"]

    def test_list_query_count_does_not_depend_on_page_size(self, django_assert_num_queries):
        for i in range(60):
            self.make(self.home if i % 2 else self.other)
        client = self.department("view")
        for page_size in PAGE_SIZES:
            with django_assert_num_queries(self.list_queries):
                response = client.get(self.list_url(), {"page_size": page_size})
            assert len(response.json()["results"]) == page_size

    # -- writes ------------------------------------------------------------------------------------

    def test_create(self):
        if self.read_only:
            response = self.department("view").post(self.list_url(), {}, format="json")
            assert response.status_code in (403, 405)
            return
        client = self.department("add", "view")
        response = client.post(self.list_url(), self.create_payload(self.home), format="json")
        assert response.status_code == 201, response.json()
        created = self.model.objects.get(**{self.lookup_field: response.json()[self.lookup_field]})
        assert response["ETag"] == f'"{created.version}"'

    # -- district scoping --------------------------------------------------------------------------

    def test_district_staff_reads_only_their_districts(self):
        mine, theirs = self.make(self.home), self.make(self.other)
        client = self.district_staff("view")
        keys = {self.key(i) for i in client.get(self.list_url()).json()["results"]}
        assert getattr(mine, self.lookup_field) in keys
        assert getattr(theirs, self.lookup_field) not in keys
        assert client.get(self.detail_url(mine)).status_code == 200
        assert client.get(self.detail_url(theirs)).status_code == 404


class WritableEndpointTests(PreconditionTests, EndpointTests):
    """The write tests, for resources that accept writes."""

    def test_view_permission_does_not_allow_writes(self):
        obj = self.make(self.home)
        client = self.department("view")
        assert client.patch(self.detail_url(obj), self.patch_payload).status_code == 403
        assert client.delete(self.detail_url(obj)).status_code == 403

    def test_create_invalid_is_400_per_field_and_saves_nothing(self):
        count = self.model.objects.count()
        payload = {**self.create_payload(self.home), **self.invalid_payload}
        response = self.department("add", "view").post(self.list_url(), payload, format="json")
        assert response.status_code == 400
        assert self.invalid_field in response.json(), response.json()
        assert self.model.objects.count() == count

    def test_put_and_patch(self):
        obj = self.make(self.home)
        client = self.department("change", "view")
        response = client.put(
            self.detail_url(obj), self.full_payload(obj, self.home), format="json"
        )
        assert response.status_code == 200, response.json()
        response = client.patch(self.detail_url(obj), self.patch_payload, format="json")
        assert response.status_code == 200, response.json()
        saved = self.fresh(obj)
        for field, value in self.patch_payload.items():
            assert response.json()[field] == value
        assert saved.version == obj.version + 2
        assert response["ETag"] == f'"{saved.version}"'

    def test_delete(self):
        obj = self.make(self.home)
        response = self.department("delete", "view").delete(self.detail_url(obj))
        assert response.status_code == 204
        assert not self.model.objects.filter(pk=obj.pk).exists()

    def test_if_match(self):
        obj = self.make(self.home)
        client = self.department("change", "delete", "view")
        etag = client.get(self.detail_url(obj))["ETag"]
        # Someone else saves meanwhile.
        self.fresh(obj).save()
        stale = client.patch(
            self.detail_url(obj), self.patch_payload, format="json", HTTP_IF_MATCH=etag
        )
        assert stale.status_code == 412
        assert "detail" in stale.json()
        assert self.fresh(obj).version == obj.version + 1  # unchanged by the refused write
        assert client.delete(self.detail_url(obj), HTTP_IF_MATCH=etag).status_code == 412
        assert self.model.objects.filter(pk=obj.pk).exists()
        current = client.get(self.detail_url(obj))["ETag"]
        fresh = client.patch(
            self.detail_url(obj), self.patch_payload, format="json", HTTP_IF_MATCH=current
        )
        assert fresh.status_code == 200
        assert fresh["ETag"] == f'"{obj.version + 2}"'
        assert client.delete(self.detail_url(obj), HTTP_IF_MATCH=fresh["ETag"]).status_code == 204

    def test_district_staff_writes_only_their_districts(self):
        client = self.district_staff("add", "change", "delete", "view")
        count = self.model.objects.count()
        response = client.post(self.list_url(), self.create_payload(self.other), format="json")
        assert response.status_code in (400, 403)
        assert response.json()
        assert self.model.objects.count() == count
        assert (
            client.post(self.list_url(), self.create_payload(self.home), format="json").status_code
            == 201
        )

        mine, theirs = self.make(self.home), self.make(self.other)
        # Moving one's record into another district is refused, and changes nothing.
        response = client.put(
            self.detail_url(mine), self.full_payload(mine, self.other), format="json"
        )
        assert response.status_code in (400, 403)
        assert self.fresh(mine).version == mine.version
        # Another district's record is not even found.
        assert client.patch(self.detail_url(theirs), self.patch_payload).status_code == 404
        assert client.delete(self.detail_url(theirs)).status_code == 404
        assert self.model.objects.filter(pk=theirs.pk).exists()


class FilterTests:
    """The list's filters, for resources that have some."""

    def filter_cases(self) -> list[tuple[dict, set]]:
        """Make records; return (query parameters, the lookups the list must return)."""
        raise NotImplementedError

    def test_filters(self):
        cases = self.filter_cases()
        assert cases, "a resource with filters names at least one case"
        client = self.department("view")
        for params, expected in cases:
            response = client.get(self.list_url(), {**params, "page_size": 500})
            assert response.status_code == 200, (params, response.json())
            got = {self.key(item) for item in response.json()["results"]}
            assert got == expected, (params, got)


class OrderingTests:
    """``?ordering=`` in both directions, for resources that can be ordered."""

    ordering_param = ""
    #: Two records' field values, in ascending order of ``ordering_param``.
    ordering_values: tuple[dict, dict] = ({}, {})

    def test_invalid_ordering_is_400(self):
        assert self.ordering_param
        response = self.department("view").get(self.list_url(), {"ordering": "no_such_field"})
        assert response.status_code == 400
        assert "ordering" in response.json()

    def test_csv_with_invalid_ordering_is_json_400(self):
        response = self.department("view").get(
            self.list_url(), {"format": "csv", "ordering": "nope"}
        )
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert "ordering" in response.json()

    def test_ordering(self):
        first, second = (self.make(self.home, **values) for values in self.ordering_values)
        client = self.department("view")
        expected = [getattr(first, self.lookup_field), getattr(second, self.lookup_field)]
        for param, order in (
            (self.ordering_param, expected),
            (f"-{self.ordering_param}", expected[::-1]),
        ):
            response = client.get(self.list_url(), {"ordering": param})
            assert response.status_code == 200
            assert [self.key(i) for i in response.json()["results"]] == order, param
