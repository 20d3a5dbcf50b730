"""The sign-in lockout counts failures per user name and, separately, per client address; only
a user's own successful sign-in clears that user name's count, and nobody else's.

The limit is the README's promise, written here as a literal (5 failed sign-ins), not read
from the settings, so a change of the limit fails these tests.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery"
#: README: "5 failed sign-ins lock the user name, and separately the client address"
PROMISED_LIMIT = 5

pytestmark = pytest.mark.django_db


def sign_in(username, password, address):
    """One sign-in at the admin from ``address`` (a fresh browser each time: no session)."""
    return Client().post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def assert_refused(response):
    """A wrong password: the form again (200), not a lockout."""
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_four_failures_do_not_lock_the_fifth_does(db):
    UserFactory(username="clerk")
    for _ in range(PROMISED_LIMIT - 1):
        assert_refused(sign_in("clerk", "wrong", "203.0.113.1"))
    # Four failures: the right password still works (so the limit is not below five) …
    assert sign_in("clerk", PASSWORD, "203.0.113.1").status_code == 302
    for _ in range(PROMISED_LIMIT - 1):
        assert_refused(sign_in("clerk", "wrong", "203.0.113.1"))
    # … and the fifth failure locks (so the limit is not above five).
    assert sign_in("clerk", "wrong", "203.0.113.1").status_code == 429
    assert sign_in("clerk", PASSWORD, "203.0.113.1").status_code == 429


def test_own_successes_do_not_buy_more_guesses_at_another_account(superuser):
    """The reported bypass: "4 wrong passwords for the superuser, then 1 correct sign-in as
    oneself", repeated. The superuser's failures are never cleared by someone else's
    success, so the guesser gets five guesses in all (four answered "wrong password", the
    fifth with the lockout), not five per round."""
    UserFactory(username="insider")
    address = "198.51.100.20"
    guesses_answered = 0
    for _round in range(4):
        for _ in range(PROMISED_LIMIT - 1):
            response = sign_in(superuser.username, f"guess-{guesses_answered}", address)
            if response.status_code == 429:
                break
            assert_refused(response)
            guesses_answered += 1
        sign_in("insider", PASSWORD, address)
    assert guesses_answered == PROMISED_LIMIT - 1
    # The superuser's name is locked (from any address, even with the right password) …
    assert sign_in(superuser.username, PASSWORD, "192.0.2.99").status_code == 429
    # … and so is the guesser's address, for every name.
    assert sign_in("insider", PASSWORD, address).status_code == 429


def test_a_success_from_the_same_address_does_not_clear_another_names_failures(db):
    UserFactory(username="target")
    UserFactory(username="colleague")
    for _ in range(3):
        assert_refused(sign_in("target", "wrong", "203.0.113.10"))
    assert sign_in("colleague", PASSWORD, "203.0.113.10").status_code == 302
    # Two more failures for "target", from elsewhere, make five: locked.
    assert_refused(sign_in("target", "wrong", "203.0.113.11"))
    assert sign_in("target", "wrong", "203.0.113.12").status_code == 429
    assert sign_in("target", PASSWORD, "203.0.113.13").status_code == 429


def test_a_users_own_success_clears_only_that_users_count(db):
    UserFactory(username="typist")
    UserFactory(username="other")
    for _ in range(PROMISED_LIMIT - 1):
        assert_refused(sign_in("typist", "wrong", "203.0.113.30"))
    assert_refused(sign_in("other", "wrong", "203.0.113.31"))
    assert sign_in("typist", PASSWORD, "203.0.113.32").status_code == 302
    # typist starts afresh: four more failures and still not locked.
    for _ in range(PROMISED_LIMIT - 1):
        assert_refused(sign_in("typist", "wrong", "203.0.113.32"))
    assert sign_in("typist", PASSWORD, "203.0.113.32").status_code == 302
    # other's one failure is still counted: four more lock it.
    for _ in range(PROMISED_LIMIT - 2):
        assert_refused(sign_in("other", "wrong", "203.0.113.33"))
    assert sign_in("other", "wrong", "203.0.113.33").status_code == 429


@pytest.mark.parametrize("rotate_every", [1, 2])
def test_one_user_name_from_several_addresses_is_locked(db, rotate_every):
    """The user-name dimension: no address reaches the limit, the name does."""
    UserFactory(username="sought-after")
    UserFactory(username="bystander")
    addresses = [f"198.51.100.{n // rotate_every + 1}" for n in range(PROMISED_LIMIT)]
    for address in addresses[:-1]:
        assert_refused(sign_in("sought-after", "wrong", address))
    assert sign_in("sought-after", "wrong", addresses[-1]).status_code == 429
    # Locked by name: the right password from a fresh address is refused too …
    assert sign_in("sought-after", PASSWORD, "192.0.2.200").status_code == 429
    # … while those addresses, each below the limit, still serve other accounts.
    assert sign_in("bystander", PASSWORD, addresses[0]).status_code == 302


def test_several_user_names_from_one_address_lock_the_address(db):
    """The address dimension: no name reaches the limit, the address does."""
    names = [f"name{n}" for n in range(PROMISED_LIMIT)]
    for name in names:
        UserFactory(username=name)
    for name in names[:-1]:
        assert_refused(sign_in(name, "wrong", "203.0.113.77"))
    assert sign_in(names[-1], "wrong", "203.0.113.77").status_code == 429
    # The address is locked for every name, the right password included …
    assert sign_in(names[0], PASSWORD, "203.0.113.77").status_code == 429
    # … while each name, below the limit, still signs in from elsewhere.
    assert sign_in(names[0], PASSWORD, "203.0.113.78").status_code == 302
