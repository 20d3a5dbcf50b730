"""API tokens whose keys are stored hashed.

A key is 40 random hexadecimal characters (160 bits), shown once when it is made; the database
keeps only its SHA-256 digest and its first characters (to tell keys apart in a list). A
database or backup leak therefore gives no API access. A plain hash is enough for keys this
random (a slow password hash protects guessable secrets; nobody guesses 160 random bits), and
it lets a request find its token with one indexed lookup.

Clients send the key as ``Authorization: Token <key>``
(:class:`registry.api.authentication.HashedTokenAuthentication`). An account may have several
tokens (one per system that calls, say); each is revoked or rotated on its own.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Characters of the key kept in clear to recognise a token in a list (not enough to use it).
PREFIX_LENGTH = 6


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("key begins with"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "registry"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for ``user``; returns it and its key (the only time the key exists)."""
        key = secrets.token_hex(20)
        token = cls.objects.create(
            user=user, name=name, prefix=key[:PREFIX_LENGTH], digest=digest_of(key)
        )
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def rotate(self) -> tuple["ApiToken", str]:
        """Revoke this token and issue its replacement (same account, same name)."""
        with transaction.atomic():
            self.revoke()
            return type(self).issue(self.user, self.name)

    @classmethod
    def for_key(cls, key: str) -> "ApiToken | None":
        """The active token of ``key``, with its account, or None."""
        return cls.objects.active().select_related("user").filter(digest=digest_of(key)).first()
