"""If-Match on writes, for every writable resource (inherited through ``WritableEndpointTests``).

``test_if_match`` (in ``endpoint.py``) has the other write land before the request; these
have it land *after* the request's If-Match check and before the save or delete, so only a
locked re-check of the version at the write itself refuses it. They also send the forms of
the header a client may send back: a weak tag (a compressing proxy weakens the ``ETag`` it
passes on), a list of tags, and ``*`` (RFC 9110: any current representation).
"""

import pytest
from django.db.models import F
from django.urls import resolve


class PreconditionTests:
    #: Fields another writer changes meanwhile (none of them in ``patch_payload``).
    concurrent_change: dict = {}

    def _another_write_after_the_check(self, monkeypatch, obj):
        """From now on, right after the view has checked If-Match, someone else saves ``obj``
        (version bumped, ``concurrent_change`` written)."""
        assert self.concurrent_change, "the resource must name fields another writer changes"
        assert not set(self.concurrent_change) & set(self.patch_payload)
        view = resolve(self.detail_url(obj)).func.cls
        check = view.expected_version

        def check_then_someone_else_writes(view_self, instance):
            expected = check(view_self, instance)
            type(obj)._default_manager.filter(pk=obj.pk).update(
                version=F("version") + 1, **self.concurrent_change
            )
            return expected

        monkeypatch.setattr(view, "expected_version", check_then_someone_else_writes)

    def _assert_only_the_other_write_landed(self, obj):
        saved = self.fresh(obj)
        assert saved.version == obj.version + 1
        for field, value in self.concurrent_change.items():
            assert getattr(saved, field) == value, field
        for field in self.patch_payload:
            assert getattr(saved, field) == getattr(obj, field), field

    def test_a_write_landing_after_the_if_match_check_is_still_412(self, monkeypatch):
        obj = self.make(self.home)
        client = self.department("change", "view")
        etag = client.get(self.detail_url(obj))["ETag"]
        assert etag == f'"{obj.version}"'
        self._another_write_after_the_check(monkeypatch, obj)
        response = client.patch(
            self.detail_url(obj), self.patch_payload, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 412, response.json()
        assert "detail" in response.json()
        self._assert_only_the_other_write_landed(obj)

    def test_a_write_landing_after_the_if_match_check_stops_a_delete(self, monkeypatch):
        obj = self.make(self.home)
        client = self.department("delete", "view")
        etag = client.get(self.detail_url(obj))["ETag"]
        self._another_write_after_the_check(monkeypatch, obj)
        response = client.delete(self.detail_url(obj), HTTP_IF_MATCH=etag)
        assert response.status_code == 412
        assert "detail" in response.json()
        self._assert_only_the_other_write_landed(obj)

    @pytest.mark.parametrize(
        ("header", "status"),
        [
            ('W/"{v}"', 200),  # weak form of the current tag
            ('"999", W/"{v}"', 200),  # a list naming the current one
            ('"{stale}" , "999"', 412),  # a list naming only other versions
            ('W/"{stale}"', 412),  # weak form of a stale tag
            ("*", 200),  # any current representation
        ],
    )
    def test_if_match_forms_on_update(self, header, status):
        obj = self.make(self.home)
        self.fresh(obj).save()  # now at obj.version + 1; obj.version is stale
        current = obj.version + 1
        client = self.department("change", "view")
        response = client.patch(
            self.detail_url(obj),
            self.patch_payload,
            format="json",
            HTTP_IF_MATCH=header.format(v=current, stale=obj.version),
        )
        assert response.status_code == status, response.json()
        saved = self.fresh(obj)
        if status == 200:
            assert saved.version == current + 1
            assert response["ETag"] == f'"{saved.version}"'
            for field, value in self.patch_payload.items():
                assert response.json()[field] == value
        else:
            assert saved.version == current

    @pytest.mark.parametrize(
        ("header", "status"),
        [('W/"{v}"', 204), ('"{stale}", W/"{v}"', 204), ('W/"{stale}"', 412), ("*", 204)],
    )
    def test_if_match_forms_on_delete(self, header, status):
        obj = self.make(self.home)
        self.fresh(obj).save()
        current = obj.version + 1
        response = self.department("delete", "view").delete(
            self.detail_url(obj), HTTP_IF_MATCH=header.format(v=current, stale=obj.version)
        )
        assert response.status_code == status
        assert self.model.objects.filter(pk=obj.pk).exists() is (status == 412)
