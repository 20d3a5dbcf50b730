"""Uploads waiting for their import to be confirmed, kept by the app itself.

The admin's import is two steps: the upload is read and previewed, then confirmed. Between them
the file waits here — never in a shared temporary directory — under an unguessable key
(:func:`secrets.token_urlsafe`), bound to the account and the session that uploaded it and to
the admin page it was uploaded on. The confirm step names only the key; a key of another
account or session, of another page, or older than ``REGISTRY["IMPORT_PENDING_HOURS"]`` finds
nothing. An upload is removed when it is confirmed or cancelled; the ones never confirmed
are removed after that many hours, on each new upload and by ``manage.py
purge_pending_imports``.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def max_age() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REGISTRY["IMPORT_PENDING_HOURS"])


class PendingImport(models.Model):
    key = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    session_key = models.CharField(max_length=64)
    #: "app_label.model_name" of the admin page the file was uploaded on
    target = models.CharField(max_length=100)
    #: index of the file format among the admin's import formats, and of its resource
    format_index = models.PositiveSmallIntegerField()
    resource_index = models.PositiveSmallIntegerField(default=0)
    original_name = models.CharField(max_length=255, blank=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(key="") & ~models.Q(session_key=""),
                name="pending_import_key_and_session_given",
            ),
        ]

    def __str__(self):
        return f"{self.target} {self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def store(cls, request, target, format_index, resource_index, original_name, content):
        """Keep ``content`` for ``request``'s user and session; returns the new record."""
        if not request.session.session_key:
            request.session.save()
        cls.purge()
        return cls.objects.create(
            key=secrets.token_urlsafe(32),
            user=request.user,
            session_key=request.session.session_key,
            target=target,
            format_index=format_index,
            resource_index=resource_index,
            original_name=original_name[:255],
            content=content,
        )

    @classmethod
    def mine(cls, request, target, key):
        """The queryset of the pending upload ``key`` if it belongs to ``request``'s user and
        session and to ``target``, and has not expired (else empty)."""
        session_key = request.session.session_key
        if not key or not session_key or not request.user.is_authenticated:
            return cls.objects.none()
        return cls.objects.filter(
            key=str(key)[:64],
            user=request.user,
            session_key=session_key,
            target=target,
            created_at__gte=timezone.now() - max_age(),
        )

    @classmethod
    def purge(cls, now=None) -> int:
        """Remove the uploads older than the time an upload may wait; their number."""
        cutoff = (now or timezone.now()) - max_age()
        deleted, _by_model = cls.objects.filter(created_at__lt=cutoff).delete()
        return deleted
