"""``Authorization: Token <key>`` checked against the hashed keys of ``registry.tokens``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from registry.tokens import ApiToken


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's token scheme (same header, same 401 with ``WWW-Authenticate: Token``), the key
    looked up by its digest; revoked tokens and inactive accounts are refused."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.for_key(key) if "\x00" not in key else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
