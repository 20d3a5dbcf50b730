"""The admin's two import steps (upload and preview, then confirm) with the upload kept by the
app and bound to whoever made it (:mod:`registry.pending_imports`).

django-import-export writes every upload to the server's temporary directory before reading it
and has the confirm form post that file's name back; the confirm step opens whatever name it is
given, imports it and deletes it, and a preview never confirmed stays there for ever. Here:

- the upload is read once, in memory, up to ``REGISTRY_MAX_UPLOAD_BYTES`` (past that the
  reader refuses it), and read by :mod:`registry.uploads`' bounded readers;
- only a preview without errors is kept, as a :class:`~registry.pending_imports.PendingImport`
  under an unguessable key, for this account, this session and this admin page; the confirm
  form carries that key and nothing else the step trusts (format and resource are the stored
  ones);
- confirming or cancelling removes it; a key that is not this user's and session's (or has
  expired, or was used already) imports nothing, deletes nothing and says so.
"""

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from registry.errors import post_only
from registry.pending_imports import PendingImport
from registry.uploads import UnreadableFile, max_upload_bytes

logger = logging.getLogger(__name__)


class UploadBuffer:
    """What import-export calls the upload's temporary storage: its bytes, in memory only."""

    name = ""

    def __init__(self, data: bytes):
        self.data = data

    def read(self) -> bytes:
        return self.data

    def remove(self):
        self.data = b""


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, in one read; at most one byte past the upload limit (the
    reader refuses a file that long, with a message)."""
    upload.seek(0)
    return upload.read(max_upload_bytes() + 1)


class HiddenFieldErrorsMixin:
    """A form whose hidden fields (the resource when there is one, a read-only format) were
    changed says so where the page shows it: the admin's templates show no hidden field's
    error, so a tampered value would otherwise give a page without any message."""

    def clean(self):
        cleaned = super().clean()
        if any(self.fields[name].widget.is_hidden for name in self.errors if name in self.fields):
            self.add_error(
                None,
                gettext(
                    "The form was changed outside this page, so it was not sent. Reload the "
                    "page and try again."
                ),
            )
        return cleaned


class BoundImportForm(HiddenFieldErrorsMixin, ImportForm):
    """import-export's upload form, with hidden fields' errors shown."""


class PendingConfirmForm(ConfirmImportForm):
    """The confirm step's form: the pending upload's key (``import_file_name``, the name
    import-export gives it) and a button to cancel. The other fields are shown to no one and
    trusted by nothing."""

    import_file_name = forms.CharField(widget=forms.HiddenInput(), max_length=64)
    original_file_name = forms.CharField(widget=forms.HiddenInput(), required=False)
    format = forms.CharField(widget=forms.HiddenInput(), required=False)

    def as_p(self):
        return super().as_p() + format_html(
            '<p><button type="submit" name="cancel" value="1" class="button">{}</button></p>',
            _("Cancel this import"),
        )


class SpreadsheetUploadSteps:
    """Mixed into an admin with import-export's ``ImportMixin`` (before it)."""

    import_form_class = BoundImportForm
    confirm_form_class = PendingConfirmForm

    def _pending_target(self) -> str:
        return f"{self.opts.app_label}.{self.opts.model_name}"

    # -- step 1: upload and preview -------------------------------------------------------------
    def write_to_tmp_storage(self, import_file, input_format):
        buffer = UploadBuffer(read_upload(import_file))
        import_file.registry_upload = buffer  # kept by get_confirm_form_initial if valid
        return buffer

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            message = str(e)
        else:  # a reader's bug, not the user's: logged, and no exception name shown
            logger.warning("an uploaded spreadsheet could not be read", exc_info=e)
            message = gettext(
                "The file could not be read. Save it as “CSV UTF-8 (Comma delimited)” or as "
                "an Excel workbook (.xlsx) and upload it again."
            )
        form.add_error("import_file", message)

    def get_confirm_form_initial(self, request, import_form):
        if import_form is None:
            return {}
        upload = import_form.cleaned_data["import_file"]
        pending = PendingImport.store(
            request,
            target=self._pending_target(),
            format_index=int(import_form.cleaned_data["format"]),
            resource_index=self.get_resource_index(import_form),
            original_name=upload.name or "",
            content=upload.registry_upload.read(),
        )
        upload.registry_upload.remove()
        return {
            "import_file_name": pending.key,
            "original_file_name": pending.original_name,
            "format": str(pending.format_index),
            "resource": str(pending.resource_index),
        }

    # -- step 2: confirm or cancel --------------------------------------------------------------
    @method_decorator(post_only())
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        key = form.cleaned_data["import_file_name"] if form.is_valid() else ""
        mine = PendingImport.mine(request, self._pending_target(), key)
        if "cancel" in request.POST:
            mine.delete()
            self.message_user(
                request, gettext("The import was cancelled; nothing was saved."), messages.INFO
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        pending = mine.first()
        formats = self.get_import_formats()
        # Used once: of two confirms of one upload, only the one that removes it imports it.
        if pending is None or mine.filter(pk=pending.pk).delete()[0] == 0:
            return self._back_to_import(
                request,
                gettext(
                    "This upload is not waiting for your confirmation: it was confirmed or "
                    "cancelled already, it expired, or it was made by another account or in "
                    "another session. Nothing was imported: upload the file again."
                ),
            )
        if pending.format_index >= len(formats):
            return self._back_to_import(request, gettext("Upload the file again."))
        input_format = formats[pending.format_index](encoding=self.from_encoding)
        try:
            dataset = input_format.create_dataset(bytes(pending.content))
        except UnreadableFile as error:
            return self._back_to_import(request, str(error))
        form.cleaned_data.update(
            original_file_name=pending.original_name,
            format=str(pending.format_index),
            resource=str(pending.resource_index),
        )
        result = self.process_dataset(dataset, form, request, **kwargs)
        return self.process_result(result, request)
