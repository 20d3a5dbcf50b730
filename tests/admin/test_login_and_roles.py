"""Login protection, the two staff groups and the grant_district command."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from registry.models import DistrictAssignment
from registry.scoping import can_access_all_districts, visible_districts
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


def sign_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_failed_sign_ins_lock_the_account(client, dong_anh_staff, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, dong_anh_staff.username, "wrong password")
        assert response.status_code == 200  # the form again, with its error
    response = sign_in(client, dong_anh_staff.username, "wrong password")
    assert response.status_code == 429
    # Now even the right password is refused, with a page in Vietnamese that says why.
    response = sign_in(client, dong_anh_staff.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "15 phút" in html
    assert "_auth_user_id" not in client.session


def test_a_locked_address_cannot_guess_other_accounts_either(client, db, settings):
    victims = [UserFactory(username=f"victim{n}") for n in range(settings.AXES_FAILURE_LIMIT)]
    for victim in victims:
        sign_in(client, victim.username, "guess")
    other = UserFactory(username="untouched")
    assert sign_in(client, other.username, PASSWORD).status_code == 429


def test_a_correct_sign_in_below_the_limit_works_and_resets_the_count(
    client, dong_anh_staff, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, dong_anh_staff.username, "wrong password")
    response = sign_in(client, dong_anh_staff.username, PASSWORD)
    assert response.status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, dong_anh_staff.username, "wrong password")
    assert sign_in(client, dong_anh_staff.username, PASSWORD).status_code == 302


def test_login_page_is_in_vietnamese_with_the_language_switch(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    assert "Cơ sở dữ liệu cụm công nghiệp và chợ Hà Nội" in html
    assert 'id="language-switch"' in html


def test_test_client_login_still_works(client, dong_anh_staff):
    """Scripts and tests that authenticate without a request are not blocked."""
    assert client.login(username=dong_anh_staff.username, password=PASSWORD)


def test_groups_have_the_right_permissions(db):
    department = Group.objects.get(name="Department staff")
    district = Group.objects.get(name="District staff")
    department_perms = set(department.permissions.values_list("codename", flat=True))
    district_perms = set(district.permissions.values_list("codename", flat=True))
    for model in ["industrialcluster", "wastewaterinspection", "market", "marketproject"]:
        for action in ["view", "add", "change", "delete"]:
            assert f"{action}_{model}" in department_perms
            assert f"{action}_{model}" in district_perms
    assert {"access_all_districts", "change_target", "add_target"} <= department_perms
    assert not {"access_all_districts", "change_target", "view_target"} & district_perms
    assert "view_district" in district_perms and "change_district" not in district_perms


def test_grant_district_makes_an_account_district_staff(db, capsys):
    user = UserFactory(username="new-staff", is_staff=False)
    call_command("grant_district", "new-staff", "017", "281")
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="District staff").exists()
    assert sorted(visible_districts(user).values_list("code", flat=True)) == ["017", "281"]
    assert not can_access_all_districts(user)
    assert "new-staff" in capsys.readouterr().out
    call_command("grant_district", "new-staff", "17")  # idempotent; "17" means 017
    assert DistrictAssignment.objects.filter(user=user).count() == 2


def test_grant_district_refuses_unknown_codes_and_users_changing_nothing(db):
    user = UserFactory(username="careful", is_staff=False)
    with pytest.raises(CommandError, match="999"):
        call_command("grant_district", "careful", "017", "999")
    assert not DistrictAssignment.objects.filter(user=user).exists()
    assert not user.groups.exists()
    with pytest.raises(CommandError, match="nobody"):
        call_command("grant_district", "nobody", "017")


def test_district_assignment_is_edited_on_the_users_page(client, superuser, dong_anh):
    staff = UserFactory(username="to-assign")
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "district_assignments-TOTAL_FORMS" in page.content.decode()


def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy(client, db, settings):
    settings.REGISTRY_TRUSTED_PROXY_COUNT = 1

    def attempt(username, password, address):
        return client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",  # spoofed part is ignored
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"guess{n}", "guess", "203.0.113.50")
    colleague = UserFactory(username="colleague")
    assert attempt("someone-else", PASSWORD, "203.0.113.50").status_code == 429
    assert attempt(colleague.username, PASSWORD, "203.0.113.51").status_code == 302
