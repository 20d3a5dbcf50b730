"""Admin building blocks shared by the registry's apps: district scoping and no lost edits.

Every admin class of a district-scoped model mixes in :class:`ScopedAdminMixin` (inlines:
:class:`ScopedInlineMixin`), so its change list, change form, foreign-key choices,
autocompletes, inlines, exports, imports and history all pass through
:func:`registry.scoping.restrict` — the one scoping function. A record outside the user's
districts is a 404, never its data.

:class:`VersionedAdminMixin` carries the ``version`` the user loaded in a hidden form field and
refuses a save when someone else saved the record meanwhile, naming what changed.
"""

import dataclasses

import tablib
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from registry import spreadsheet_templates
from registry.dates import today
from registry.models import AdministrativeUnit, District, DistrictAssignment, StaleVersionError
from registry.scoping import (
    can_access_all_districts,
    restrict,
    visible_communes,
    visible_districts,
)
from registry.spreadsheets import CSV, XLSX
from registry.upload_steps import HiddenFieldErrorsMixin, SpreadsheetUploadSteps
from registry.workbooks import file_stem

#: fields every save changes: left out of the history's diffs and of conflict messages
BOOKKEEPING_FIELDS = frozenset({"version", "updated_at", "created_at"})


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """History diffs without bookkeeping fields, choices shown by their labels."""

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in BOOKKEEPING_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list | tuple):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


def is_district_scoped(model: type[Model]) -> bool:
    return hasattr(model, "DISTRICT_PATH") or model is AdministrativeUnit


def scoped_queryset(queryset, user):
    """``queryset`` narrowed by :func:`restrict` when its model is district-scoped."""
    if is_district_scoped(queryset.model):
        return restrict(queryset, user)
    return queryset


def is_valid_key(field, value) -> bool:
    """Whether ``value`` (from a request) can name a row by ``field`` (a model field), so a
    malformed id ("abc", "²", a NUL) is "not found" or a form error, never a 500."""
    if isinstance(value, str) and "\x00" in value:
        return False
    try:
        field.run_validators(field.to_python(value))  # the type, and the column's range
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class SafeModelChoiceField(forms.ModelChoiceField):
    """A foreign-key choice that refuses a malformed id ("abc", "²", a NUL, a number past the
    column's range) as an invalid choice before looking it up."""

    def to_python(self, value):
        if value not in self.empty_values:
            key_field = (
                self.queryset.model._meta.get_field(self.to_field_name)
                if self.to_field_name
                else self.queryset.model._meta.pk
            )
            if not is_valid_key(key_field, str(value)):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
        return super().to_python(value)


def refuse_nul(params) -> None:
    """400 for a query string with a NUL character (PostgreSQL cannot compare text with one;
    no registry value contains one)."""
    for key, values in params.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest("NUL character in the query string")


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, re-rendering a refused form whose posted id is malformed
    (Django's looks it up and fails with a 500) as if nothing had been chosen."""

    def optgroups(self, name, value, attr=None):
        field = self.field.remote_field.get_related_field()
        value = [v for v in value if v in (None, "") or is_valid_key(field, str(v))]
        return super().optgroups(name, value, attr)


class ScopedFormfieldMixin:
    """Foreign-key choices (selects and autocompletes) offer only records in scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        related = db_field.related_model
        if is_district_scoped(related):
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = restrict(queryset, request.user)
            if related is AdministrativeUnit:
                kwargs.setdefault(
                    "error_messages",
                    {"invalid_choice": _("Choose one of the communes whose records you keep.")},
                )
                # Commune staff keep records by their commune: it is what puts a record in
                # their scope, so they must give it.
                user = request.user
                if not can_access_all_districts(user) and not (
                    DistrictAssignment.objects.filter(user_id=user.pk).exists()
                ):
                    kwargs["required"] = True
            elif related is District:
                kwargs.setdefault(
                    "error_messages",
                    {"invalid_choice": _("Choose one of the districts whose records you keep.")},
                )
            else:
                kwargs.setdefault(
                    "error_messages",
                    {"invalid_choice": _("Choose a record of the districts you keep.")},
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInlineMixin(ScopedFormfieldMixin):
    """An inline whose rows and choices are limited to the user's districts."""

    def get_queryset(self, request):
        return scoped_queryset(super().get_queryset(request), request.user)


class ScopedAdminMixin(ScopedFormfieldMixin):
    """A ModelAdmin that shows, changes, exports, imports and lists history only in scope."""

    def get_queryset(self, request):
        return scoped_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not the admin's usual redirect to the index: a record of another district (or
            # none at all) is simply not found.
            raise Http404(gettext("No such record among the districts you keep."))
        return obj

    # -- import / export: the resource learns who is asking ----------------------------------
    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    # -- history (django-simple-history) -----------------------------------------------------
    # -- malformed requests: a 400 or "not found", never a 500 ------------------------------
    def changelist_view(self, request, extra_context=None):
        refuse_nul(request.GET)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # The change list's search and the autocompletes: no record contains a NUL.
        if "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def _require_in_scope(self, request, object_id):
        if not is_valid_key(self.model._meta.pk, unquote(object_id)):
            raise Http404(gettext("No such record among the districts you keep."))
        if can_access_all_districts(request.user):
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404(gettext("No such record among the districts you keep."))

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if not is_valid_key(self.model.history.model._meta.pk, version_id):
            raise Http404(gettext("No such version of this record."))
        if request.method == "POST":
            if self.revert_disabled(request):
                raise PermissionDenied
            request._registry_reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None):
        """Reverting to an earlier version is for department staff (all districts) only."""
        return can_access_all_districts(request.user) and super().has_change_permission(
            request, obj
        )

    def revert_disabled(self, request, obj=None):
        return not self.has_change_history_permission(request, obj)


class DistrictListFilter(admin.SimpleListFilter):
    """Filter by district (the former district since the reform), offering only the
    districts the user may see (one query)."""

    title = _("former district")
    parameter_name = "district"
    #: the lookup from the listed model to its district's primary key
    district_lookup = "district_id"

    def lookups(self, request, model_admin):
        return [(str(d.pk), str(d)) for d in visible_districts(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return queryset.none()
        return queryset.filter(**{self.district_lookup: int(value)})


class CommuneListFilter(admin.SimpleListFilter):
    """Filter by commune (the unit a record lies in since 1 July 2025), offering only the
    communes the user may see, and the review list of records whose commune is to check."""

    title = _("commune")
    parameter_name = "commune"
    TO_CHECK = "check"

    def lookups(self, request, model_admin):
        return [(self.TO_CHECK, _("Commune to check"))] + [
            (str(unit.pk), str(unit)) for unit in visible_communes(request.user)
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == self.TO_CHECK:
            return queryset.filter(commune_to_check=True)
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(commune_id=int(value))


class VersionedModelForm(forms.ModelForm):
    """A ModelForm that remembers the version it was loaded at (hidden field).

    A change posted without that version is refused: it cannot tell whether it would
    overwrite someone else's change."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, label=_("version")
    )
    #: set on the class when the form is used to revert to a historical version
    skip_version_check = False
    #: an inline row is checked only when it was changed (an unchanged row is not saved)
    check_only_when_changed = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def _checks_version(self) -> bool:
        if self.instance.pk is None or self.skip_version_check:
            return False
        return not (self.check_only_when_changed and not self.has_changed())

    def clean(self):
        cleaned = super().clean()
        if not self._checks_version() or "expected_version" in self.errors:
            return cleaned
        expected = cleaned.get("expected_version")
        if expected is None:
            raise ValidationError(
                gettext(
                    "This form was sent without the version of the record it was loaded with, "
                    "so it cannot tell whether someone else changed the record meanwhile. "
                    "Your changes were not saved: reload the page and make them again."
                ),
                code="missing_version",
            )
        current = (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and current != expected:
            raise ValidationError(
                changed_meanwhile_message(self.instance, expected), code="stale_version"
            )
        return cleaned

    def save(self, commit=True):
        if not commit or not self._checks_version():
            return super().save(commit=commit)
        # Saved by a formset (an inline row): written only if still at the version loaded,
        # under the row's lock (StaleVersionError otherwise: the admin says so, nothing saved).
        self.instance.save_if_unchanged(self.cleaned_data["expected_version"])
        self._save_m2m()
        return self.instance


class VersionedInlineForm(VersionedModelForm):
    check_only_when_changed = True

    def has_changed(self):
        # A row posted as it is stored now is not saved (so not checked), whatever version
        # it was loaded at; any other row is checked and written at its version only.
        return any(name != "expected_version" for name in self.changed_data)


class VersionedInlineFormSet(BaseInlineFormSet):
    """Rows marked for deletion are checked too: Django ignores a deleted row's own errors,
    so a row changed on its own page since the page was loaded, or posted without its
    version, is refused here (the page's error, nothing saved) instead of deleted unseen; and
    the delete itself happens only at the version checked (under the row's lock)."""

    def _expected_version(self, form):
        raw = form.data.get(form.add_prefix("expected_version"), "")
        return int(raw) if str(raw).isdigit() else None

    def clean(self):
        super().clean()
        errors = []
        for form in self.deleted_forms:
            instance = form.instance
            if instance.pk is None:
                continue
            expected = self._expected_version(form)
            if expected is None:
                errors.append(
                    gettext(
                        "A row marked for deletion was sent without the version it was loaded "
                        "with, so it cannot tell whether someone else changed it meanwhile. "
                        "Nothing was saved: reload the page and make your changes again."
                    )
                )
                continue
            current = (
                type(instance)
                ._default_manager.filter(pk=instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != expected:
                errors.append(changed_meanwhile_message(instance, expected))
        if errors:
            raise ValidationError(errors, code="stale_version")

    def delete_existing(self, obj, commit=True):
        if not commit:
            return
        form = next((f for f in self.deleted_forms if f.instance.pk == obj.pk), None)
        expected = self._expected_version(form) if form is not None else None
        if expected is None:
            raise StaleVersionError(None)
        obj.delete_if_unchanged(expected)


class VersionedInlineMixin:
    """An inline whose rows carry their version: a row changed on its own page since the
    parent page was loaded is refused with the parent form's message (no lost edits), and so
    is deleting such a row."""

    form = VersionedInlineForm
    formset = VersionedInlineFormSet

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "expected_version" in fields else [*fields, "expected_version"]


def changed_meanwhile_message(instance, expected_version) -> str:
    """Who changed ``instance`` since ``expected_version``, when, and which fields."""
    history = instance.history.all()
    newer = list(
        history.filter(version__gt=expected_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    loaded = history.filter(version=expected_version).order_by("-history_date").first()
    latest = newer[-1] if newer else None
    if latest is None:
        return gettext(
            "Someone else saved this record while you were editing it. Your changes were not "
            "saved: reload the page to see the current record, then make your changes again."
        )
    changed = []
    if loaded is not None:
        opts = instance._meta
        for change in latest.diff_against(loaded).changes:
            if change.field in BOOKKEEPING_FIELDS:
                continue
            try:
                changed.append(str(opts.get_field(change.field).verbose_name))
            except Exception:  # noqa: BLE001 - a field that no longer exists: show its name
                changed.append(change.field)
    who = ", ".join(
        sorted({str(record.history_user) for record in newer if record.history_user})
    ) or gettext("another user")
    when = date_format(localtime(latest.history_date), "DATETIME_FORMAT")
    fields = ", ".join(changed) if changed else gettext("no visible field")
    return gettext(
        "%(who)s saved this record at %(when)s while you were editing it, changing: "
        "%(fields)s. Your changes were not saved: reload the page to see the current record "
        "(its history shows the changes), then make your changes again."
    ) % {"who": who, "when": when, "fields": fields}


class VersionedAdminMixin:
    """Refuse the second of two concurrent edits (the admin (README): no lost edits)."""

    form = VersionedModelForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "_registry_reverting", False):
            form = type(form.__name__, (form,), {"skip_version_check": True})
        return form

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "expected_version" in fields else [*fields, "expected_version"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        present = {name for _title, opts in fieldsets for name in _flatten(opts["fields"])}
        if "expected_version" not in present:
            title, opts = fieldsets[0]
            fieldsets[0] = (title, {**opts, "fields": [*opts["fields"], "expected_version"]})
        return fieldsets

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if change and getattr(request, "_registry_reverting", False):
            # Reverting writes an old version's values; the version number still moves on.
            obj.version = (
                type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True)
            ).first() or obj.version
            obj.save()
        elif change:
            expected = form.cleaned_data.get("expected_version")
            obj.save_if_unchanged(obj.version if expected is None else expected)
        else:
            obj.save()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError:
            # Lost the race between the form's check and the save: nothing was written.
            self.message_user(
                request,
                gettext(
                    "Someone else saved this record a moment ago. Your changes were not "
                    "saved: check the current record and its history, then make them again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


def _flatten(fields):
    for name in fields:
        if isinstance(name, list | tuple):
            yield from name
        else:
            yield name


class LabelledExportForm(HiddenFieldErrorsMixin, SelectableFieldsExportForm):
    """The export form's column choices named by the columns' labels (in the user's language)."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return capfirst(str(field.column_name)) if field is not None else field_name


class SpreadsheetAdminMixin(SpreadsheetUploadSteps, ImportExportMixin):
    """CSV / XLSX import and export with a downloadable, labelled template.

    Import needs the change permission, export the view permission (settings
    ``IMPORT_EXPORT_*_PERMISSION_CODE``); both are scoped by :class:`ScopedAdminMixin`.
    """

    import_export_change_list_template = "admin/registry/change_list_spreadsheets.html"
    import_template_name = "admin/registry/import.html"
    export_template_name = "admin/registry/export.html"
    export_form_class = LabelledExportForm
    formats = [CSV, XLSX]

    # -- export --------------------------------------------------------------------------
    def _file_stem(self) -> str:
        """The model's plural name in the user's language as a file name: cum-cong-nghiep."""
        return file_stem(self.opts.verbose_name_plural)

    def get_export_filename(self, request, queryset, file_format):
        return f"{self._file_stem()}-{today():%Y-%m-%d}.{file_format.get_extension()}"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # import-export passes native values (numbers, dates) only to its own binary format
        # classes; ours subclass them, so say it here for any binary format.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        data.title = capfirst(str(self.opts.verbose_name_plural))
        return file_format.export_data(data)

    def init_request_context_data(self, request, form):
        """The export page says that it exports the list as filtered, and how many rows."""
        context = super().init_request_context_data(request, form)
        queryset = self.get_export_queryset(request)
        context["export_count"] = queryset.count()
        context["export_total"] = self.get_queryset(request).count()
        context["export_filtered"] = any(
            key not in ("o", "_changelist_filters") for key in request.GET
        )
        return context

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "spreadsheet-template/",
                self.admin_site.admin_view(self.spreadsheet_template_view),
                name=f"{info[0]}_{info[1]}_spreadsheet_template",
            ),
            *super().get_urls(),
        ]

    def spreadsheet_template_view(self, request):
        """The import template (:mod:`registry.spreadsheet_templates`): the import's columns
        headed in the user's language, an example row, drop-downs of the user's codes and of
        every choice (XLSX); header and example row only as CSV."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        resource = resource_class(**self.get_import_resource_kwargs(request))
        name = f"{self._file_stem()}-{gettext('template')}"
        if request.GET.get("format", "xlsx") == "csv":
            lists = spreadsheet_templates.column_lists(resource, request.user)
            dataset = tablib.Dataset(headers=spreadsheet_templates.template_headers(resource))
            dataset.append(spreadsheet_templates.example_row(resource, lists))
            response = HttpResponse(
                CSV().export_data(dataset), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{file_stem(name)}.csv"'
        else:
            response = HttpResponse(
                spreadsheet_templates.template_workbook(resource, request.user),
                content_type=XLSX.CONTENT_TYPE,
            )
            response["Content-Disposition"] = f'attachment; filename="{file_stem(name)}.xlsx"'
        return response

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing, also on the confirm step: one invalid row rolls the whole file back.
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def _back_to_import(self, request, message):
        self.message_user(request, message, messages.ERROR)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_import"))

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            return self._back_to_import(
                request,
                gettext(
                    "The file has invalid rows, so nothing was saved. Upload it again to see "
                    "every row's errors."
                ),
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            gettext(
                "Import finished: %(new)s new, %(update)s changed, %(skip)s unchanged (not "
                "saved again)."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "update": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skip": totals[RowResult.IMPORT_TYPE_SKIP],
            },
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["has_import_permission"] = self.has_import_permission(request)
        return super().changelist_view(request, extra_context)


class RegistryModelAdmin(
    ScopedAdminMixin, VersionedAdminMixin, SpreadsheetAdminMixin, SimpleHistoryAdmin
):
    """A district-scoped, versioned, historied model with spreadsheet import and export."""

    list_per_page = 50
    history_list_display = ["version"]
