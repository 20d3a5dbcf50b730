"""Spreadsheet import and export (django-import-export) shared by the registry's apps.

- Columns are headed with the fields' translated labels (Vietnamese by default); a file headed
  in either language, or with the field names, is accepted.
- Districts and clusters are referred to by code, and only those of the importing user's
  districts are accepted (:func:`registry.scoping.restrict`).
- Every row is validated as by the model's ``full_clean()`` (constraints included), through
  :func:`registry.validation.full_clean`: the same errors without a database query per check
  constraint, existing codes and records looked up once per file; a code that
  appears twice in one file is an error; a bad number, date or choice is a row error with a
  message, never a crash. The admin saves nothing unless all rows are valid (one transaction).
- The preview (dry run) validates every row and saves none, with a fixed number of queries
  whatever the file's length, and keeps the details of a bounded number of rows
  (:class:`PreviewResult`: the first 200 with errors, the first 100 to import), counting all.
"""

import copy
import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import Result, RowResult

from registry import csv_safety, uploads, validation
from registry.fields import CodeField
from registry.models import AdministrativeUnit, District
from registry.scoping import restrict, visible_communes
from registry.uploads import TooManyRows, UnreadableFile  # noqa: F401 - the readers' refusals
from registry.workbooks import Sheet, workbook_bytes


class RowLimitMixin:
    """A file format read by :mod:`registry.uploads`' bounded readers: at most
    ``REGISTRY["IMPORT_MAX_ROWS"]`` rows, within fixed bounds of time and memory whatever the
    file claims (refused with :class:`registry.uploads.UnreadableFile`)."""

    reader = None

    def create_dataset(self, in_stream, **kwargs):
        return type(self).reader(in_stream)


class CSV(RowLimitMixin, base_formats.CSV):
    reader = staticmethod(uploads.read_csv)

    def export_data(self, dataset, **kwargs):
        """UTF-8 with a byte-order mark (Excel then reads Vietnamese right); formula-like texts
        neutralised (:mod:`registry.csv_safety`), which the import reverses."""
        safe = tablib.Dataset(headers=csv_safety.neutralise_row(dataset.headers or []))
        for row in dataset:
            safe.append(csv_safety.neutralise_row(row))
        return "\ufeff" + safe.export("csv")


class XLSX(RowLimitMixin, base_formats.XLSX):
    reader = staticmethod(uploads.read_xlsx)

    def export_data(self, dataset, **kwargs):
        """Typed cells (numbers, DD/MM/YYYY dates, booleans), a bold frozen header, sized
        columns, the sheet named by ``dataset.title`` (:mod:`registry.workbooks`)."""
        title = getattr(dataset, "title", None) or "Sheet"
        return workbook_bytes([Sheet(title, list(dataset.headers or []), list(dataset))])


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
LANGUAGES = ("vi", "en")
YES_WORDS = {"1", "true", "yes", "y", "x", "có", "co", "đúng"}
NO_WORDS = {"0", "false", "no", "n", "không", "khong", "sai"}


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


class DateWidget(widgets.Widget):
    """A date as YYYY-MM-DD or DD/MM/YYYY (or a spreadsheet date cell)."""

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            gettext("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, datetime.date):
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class DecimalWidget(widgets.Widget):
    """A number; a comma is accepted as the decimal separator."""

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(gettext("“%(value)s” is not a number.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value  # a number cell
        return "" if value is None else str(value)


class IntegerWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value() or abs(number) > 10**12:
            raise ValueError(gettext("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return False
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in YES_WORDS or text == gettext("yes").lower():
            return True
        if text in NO_WORDS or text == gettext("no").lower():
            return False
        raise ValueError(gettext("“%(value)s” is not yes or no.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return bool(value)  # a boolean cell
        return gettext("yes") if value else gettext("no")


class ChoiceWidget(widgets.Widget):
    """A choice given by its stored value or by its label in Vietnamese or English."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return ""
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        for stored, label in self.choices:
            candidates = {str(stored).lower()}
            for language in LANGUAGES:
                with translation.override(language):
                    candidates.add(str(label).strip().lower())
            if text.lower() in candidates:
                return stored
        allowed = "; ".join(f"{stored} ({label})" for stored, label in self.choices)
        raise ValueError(
            gettext("“%(value)s” is not one of the choices: %(allowed)s.")
            % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        for stored, label in self.choices:
            if stored == value:
                return str(label)
        return "" if value is None else str(value)


class NullableChoiceWidget(ChoiceWidget):
    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or None


class TextWidget(widgets.CharWidget):
    """Text; a blank cell is blank (never ``None``)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(TextWidget):
    """A registry code, trimmed and upper-cased as the model and the API read it, so that
    `` ccn-abc `` finds the record CCN-ABC."""

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return ""
        return str(value).strip().upper()


class ScopedCodeWidget(widgets.Widget):
    """A foreign key given by the related record's code, within the user's districts.

    The first code a file names loads the whole table's codes and the user's share of them
    (two queries: districts, communes, clusters and markets are reference-sized tables); every
    later row is answered from that dictionary."""

    def __init__(self, model, *, unknown_message, out_of_scope_message, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.unknown_message = unknown_message
        self.out_of_scope_message = out_of_scope_message
        self.user = None
        self._records = None  # {code: record}
        self._in_scope = None  # {pk}

    def __deepcopy__(self, memo):
        # A resource copies its fields (and their widgets) per instance: the copy starts with
        # nothing loaded, for its own user.
        clone = copy.copy(self)
        clone._records = clone._in_scope = None
        return clone

    def _load(self):
        manager = self.model._default_manager
        self._records = {record.code: record for record in manager.all()}
        self._in_scope = set(restrict(manager.all(), self.user).values_list("pk", flat=True))

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return None
        code = str(value).strip().upper()
        if isinstance(value, float) and value.is_integer():
            code = str(int(value))
        if code.isdigit() and len(code) < 3:
            code = code.zfill(3)  # a spreadsheet turned "017" into 17
        if self._records is None:
            self._load()
        found = self._records.get(code)
        if found is None:
            raise ValueError(str(self.unknown_message) % {"code": code})
        if found.pk not in self._in_scope:
            raise ValueError(str(self.out_of_scope_message) % {"code": code})
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.code

    def choices(self, user):
        """The records this column may name for ``user`` (the template's drop-down)."""
        queryset = restrict(self.model._default_manager.all(), user)
        if any(f.name == "active" for f in self.model._meta.fields):
            queryset = queryset.filter(active=True)
        return queryset


class PrefetchingInstanceLoader(ModelInstanceLoader):
    """The file's existing records (within the user's districts) found with one query per
    900 keys instead of one per row, whether records are identified by one column (a code, an
    ID) or by several (an inspection's cluster, date and reference).

    A row whose key cannot be read is new (its row reports the cell's error); a key that
    appears again later in the file finds the record an earlier valid row of this file
    imported, as it would once that row was saved (the preview saves nothing); a key two stored
    records share is looked up as import-export's own loader does (and reported)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.found = {}  # key -> stored record
        self.shared = set()  # keys of more than one stored record
        self.earlier = {}  # key -> the record an earlier row of this file imported
        self.loaded = False
        self.key_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        if not self.key_fields or dataset is None or not dataset.headers:
            return
        if any(field.column_name not in dataset.headers for field in self.key_fields):
            return
        opts = resource._meta.model._meta
        try:
            self.model_fields = [opts.get_field(field.attribute) for field in self.key_fields]
        except Exception:  # noqa: BLE001 - a key that is not a model field: row by row
            return
        if any(field.many_to_many or field.one_to_many for field in self.model_fields):
            return
        firsts = set()
        for row in dataset.dict:
            key = self.key(row)
            if key is not None:
                firsts.add(key[0])
        first = self.model_fields[0]
        model = resource._meta.model
        for chunk in validation.chunked(sorted(firsts, key=str), model=model):
            for record in self.get_queryset().filter(**{f"{first.attname}__in": chunk}):
                stored = tuple(getattr(record, field.attname) for field in self.model_fields)
                if stored in self.found:
                    self.shared.add(stored)
                self.found[stored] = record
        self.loaded = True

    def key(self, row):
        """The row's key as stored values (a foreign key by its id); None if a cell cannot be
        read or no record could have it."""
        values = []
        for field in self.key_fields:
            try:
                value = field.clean(row)
            except Exception:  # noqa: BLE001 - the row reports the cell's error
                return None
            if isinstance(value, models.Model):
                value = value.pk
            if value is None or value == "":
                if not values:
                    return None  # no record has an empty first key (a code, a cluster, an ID)
            elif isinstance(value, bool) or not isinstance(
                value, str | int | Decimal | datetime.date
            ):
                return None
            elif isinstance(value, str) and "\x00" in value:
                return None  # PostgreSQL stores no such text
            values.append(value)
        return tuple(values)

    def get_queryset(self):
        # The records' foreign keys come with them: the preview's diff shows the stored
        # district or cluster code without a query per row.
        queryset = super().get_queryset()
        opts = self.resource._meta.model._meta
        related = []
        for field in self.resource.get_import_fields():
            try:
                model_field = opts.get_field(field.attribute or "")
            except Exception:  # noqa: BLE001, S112 - not a model field
                continue
            if model_field.many_to_one:
                related.append(model_field.name)
        return queryset.select_related(*related) if related else queryset

    def get_instance(self, row):
        if not self.loaded:
            return super().get_instance(row)
        key = self.key(row)
        if key is None:
            for field in self.key_fields:
                field.clean(row)  # raises the cell's error (the row is then new)
            return None
        if key in self.earlier:
            return self.earlier[key]
        if key in self.shared:
            return super().get_instance(row)  # import-export's error for two records
        return self.found.get(key)

    def remember(self, row, instance):
        """``instance`` was imported from ``row``: a later row with the same key updates it."""
        if self.loaded and instance is not None:
            key = self.key(row)
            if key is not None:
                self.earlier[key] = instance


#: how many rows the preview shows: the first valid ones, and the first rows with errors
PREVIEW_VALID_ROWS = 100
PREVIEW_INVALID_ROWS = 200


class PreviewResult(Result):
    """A dry run's result that keeps the details of at most :data:`PREVIEW_VALID_ROWS` valid
    and :data:`PREVIEW_INVALID_ROWS` invalid rows, whatever the file's length: every row is
    still validated and counted (``totals``, ``error_counts`` per column), and one invalid row
    is enough for nothing to be saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_counts = Counter()  # column label ("" for the whole row) -> messages
        self.kept_valid = 0

    def append_row_result(self, row_result):
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            return  # its details are in invalid_rows
        if row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            if len(self.error_rows) <= PREVIEW_INVALID_ROWS:
                self.rows.append(row_result)
            return
        if self.kept_valid < PREVIEW_VALID_ROWS:
            self.kept_valid += 1
            self.rows.append(row_result)

    def append_invalid_row(self, number, row, validation_error):
        known = {str(header) for header in self.diff_headers}
        for key, messages in validation_error.message_dict.items():
            label = key if key in known else ("" if key == NON_FIELD_ERRORS else key)
            self.error_counts[label] += len(messages)
        if len(self.invalid_rows) < PREVIEW_INVALID_ROWS:
            super().append_invalid_row(number, row, validation_error)

    def append_error_row(self, number, row, errors):
        if len(self.error_rows) < PREVIEW_INVALID_ROWS:
            super().append_error_row(number, row, errors)

    def append_failed_row(self, row, error):
        if len(self.failed_dataset) < PREVIEW_INVALID_ROWS:
            super().append_failed_row(row, error)

    @property
    def valid_count(self) -> int:
        return sum(self.totals[kind] for kind in RowResult.valid_import_types)

    @property
    def invalid_count(self) -> int:
        totals = self.totals
        return totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]


class NoDiff:
    """import-export's row diff, not made (a preview row past those shown)."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class RegistryResource(resources.ModelResource):
    """Base resource: scoped to the user, labelled columns in either language, all-or-none."""

    #: the resource field holding the natural key whose duplicates in one file are refused
    duplicate_key = "code"

    class Meta:
        instance_loader_class = PrefetchingInstanceLoader
        # A row equal to its record is reported as unchanged and not saved: no history
        # version, no ``updated_at`` moved (the comparison is of the typed values).
        skip_unchanged = True
        report_skipped = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._aliases = {}
        for name, field in self.fields.items():
            label = field.column_name
            for language in LANGUAGES:
                with translation.override(language):
                    self._aliases[str(label).strip().lower()] = name
            self._aliases[name.lower()] = name
            field.column_name = capfirst(str(label))
            if isinstance(field.widget, ScopedCodeWidget):
                field.widget.user = user
        self._duplicates = set()
        self._lookups = None

    def get_queryset(self):
        return restrict(super().get_queryset(), self.user)

    # -- the preview (dry run) ------------------------------------------------------------------
    _previewing = False

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        """A preview (``dry_run``) validates every row as the import does
        (:func:`registry.validation.full_clean`: fields, clean(), constraints, unique codes
        against the stored records and within the file) but saves none: no row's INSERT or
        UPDATE, history version or savepoint, only to be rolled back (import_data still wraps
        it in a transaction it rolls back). Its result keeps a bounded number of rows
        (:class:`PreviewResult`); the confirmed import saves every row in one transaction, all
        or nothing."""
        self._previewing = bool(dry_run)
        return super().import_data_inner(
            dataset,
            dry_run,
            raise_errors,
            using_transactions and not dry_run,
            collect_failed_rows,
            **kwargs,
        )

    def get_result_class(self):
        return PreviewResult if self._previewing else Result

    def get_diff_class(self):
        # The preview shows the first rows only: the others' cell-by-cell diff is not made.
        if self._previewing and self._row_number > PREVIEW_VALID_ROWS:
            return NoDiff
        return super().get_diff_class()

    _row_number = 0

    def import_row(self, row, instance_loader, **kwargs):
        self._row_number = kwargs.get("row_number") or 0
        self._row_instance = None
        try:
            row_result = super().import_row(row, instance_loader, **kwargs)
        finally:
            if self._row_instance is not None:
                self._row_instance.__dict__.pop("__deepcopy__", None)
        if row_result.import_type in RowResult.valid_import_types and hasattr(
            instance_loader, "remember"
        ):
            instance_loader.remember(row, self._row_instance)
        return row_result

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self._row_instance = instance
        if new:
            # import-export deep-copies the instance as the row's "original" (for the diff and
            # skip_row); a new one is still blank, so the copy is a blank instance too, made
            # without copying every attribute (import_row removes this again).
            model = type(instance)
            instance.__deepcopy__ = lambda memo: model()

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        restore_neutralised(dataset)
        self._lookups = validation.FileLookups(self._meta.model)
        if dataset.headers:
            renamed = []
            for header in dataset.headers:
                name = self._aliases.get(str(header or "").strip().lower())
                renamed.append(self.fields[name].column_name if name else header)
            dataset.headers = renamed
        key_field = self.fields.get(self.duplicate_key)
        if key_field is not None and dataset.headers and key_field.column_name in dataset.headers:
            codes = [
                str(code).strip().upper()
                for code in dataset[key_field.column_name]
                if not _is_empty(code)
            ]
            self._duplicates = {code for code, count in Counter(codes).items() if count > 1}
            self._lookups = self._file_lookups(dataset, key_field)

    def _file_lookups(self, dataset, key_field):
        """What :func:`registry.validation.full_clean` may answer once per file: the key
        column's values that already exist (any district, one query per 900 values), and
        foreign keys already validated."""
        model_field = self._meta.model._meta.get_field(key_field.attribute)
        if not model_field.unique:
            return validation.FileLookups(self._meta.model)
        values = Counter()
        for row in dataset.dict:
            try:
                values[model_field.to_python(key_field.clean(row))] += 1
            except Exception:  # noqa: S112 - that row reports it when it is imported
                continue
        # A value the file repeats is refused as a duplicate (import_instance): the stored
        # records answer it too, and no row costs a query.
        return validation.FileLookups(self._meta.model, {model_field.name: set(values)})

    def _missing_key_columns(self, row) -> list:
        return [
            self.fields[name]
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in row
        ]

    def _check_import_id_fields(self, headers):
        # import-export refuses the whole file with an untranslated FieldError and a
        # traceback; instead every row says which column is missing (import_instance).
        return

    def get_instance(self, instance_loader, row):
        if self._missing_key_columns(row):
            return None
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # A key cell that cannot be read (a bad date, another district's code): the row
            # is treated as new, and import_instance reports that cell's error.
            return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing record whose imported values (typed: decimals, dates, choices,
        foreign keys) all equal its stored ones is not saved. Foreign keys are compared by id,
        without loading the stored related record (no query per row)."""
        if (
            not self._meta.skip_unchanged
            or import_validation_errors
            or original is None
            or original.pk is None
        ):
            return False
        opts = self._meta.model._meta
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            try:
                model_field = opts.get_field(field.attribute)
            except Exception:  # noqa: BLE001 - not a model field: compare the values
                model_field = None
            if model_field is not None and model_field.is_relation:
                name = model_field.attname
                if getattr(instance, name) != getattr(original, name):
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._missing_key_columns(row):
            errors.setdefault(field.attribute, []).append(
                ValidationError(
                    gettext(
                        "The file has no column “%(column)s”, which identifies the record: "
                        "download the spreadsheet template to see the columns."
                    )
                    % {"column": field.column_name}
                )
            )
        key_field = self.fields.get(self.duplicate_key)
        if key_field is not None and self._duplicates:
            code = row.get(key_field.column_name)
            if not _is_empty(code) and str(code).strip().upper() in self._duplicates:
                errors.setdefault(key_field.attribute, []).append(
                    ValidationError(
                        gettext("The code %(code)s appears more than once in this file.")
                        % {"code": str(code).strip().upper()}
                    )
                )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # import-export's validate_instance with registry.validation.full_clean: the same
        # errors as the model's full_clean(), without a database query per check constraint.
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            try:
                validation.full_clean(
                    instance,
                    exclude=errors.keys(),
                    validate_unique=validate_unique,
                    lookups=self._lookups,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise _labelled_errors(self, ValidationError(errors)) from None


def _labelled_errors(resource, error: ValidationError) -> ValidationError:
    """The row's errors keyed by the column labels the user sees instead of field names."""
    labels = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    model = resource._meta.model
    relabelled = {}
    for name, messages in error.message_dict.items():
        if name in labels:
            key = labels[name]
        elif name != NON_FIELD_ERRORS and name in {f.name for f in model._meta.fields}:
            key = capfirst(str(model._meta.get_field(name).verbose_name))
        else:
            key = name
        relabelled.setdefault(key, []).extend(messages)
    return ValidationError(relabelled)


def labelled(model, name, widget=None, **kwargs) -> fields.Field:
    """A resource field headed with the model field's (translated) label."""
    model_field = model._meta.get_field(name)
    if widget is None:
        widget = widget_for(model_field)
    if model_field.has_default():
        kwargs.setdefault("default", model_field.get_default())
    return fields.Field(
        attribute=name, column_name=model_field.verbose_name, widget=widget, **kwargs
    )


def widget_for(model_field) -> widgets.Widget:
    if model_field.choices:
        cls = NullableChoiceWidget if model_field.null else ChoiceWidget
        return cls(model_field.choices)
    if isinstance(model_field, models.DateField):
        return DateWidget()
    if isinstance(model_field, models.BooleanField):
        return BooleanWidget()
    if isinstance(model_field, models.DecimalField):
        return DecimalWidget()
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return IntegerWidget()
    if isinstance(model_field, CodeField):
        return CodeWidget()
    return TextWidget()


def restore_neutralised(dataset) -> None:
    """Undo :func:`registry.csv_safety.neutralise` in every cell of ``dataset`` (in place), so
    that an exported file imported back restores the values exactly."""
    if dataset.headers:
        dataset.headers = [csv_safety.restore(h) for h in dataset.headers]
    for index, row in enumerate(dataset):
        restored = [csv_safety.restore(cell) for cell in row]
        if restored != list(row):
            dataset[index] = restored


def district_code_widget():
    """A district given by its code, one of the importing user's districts."""
    return ScopedCodeWidget(
        District,
        unknown_message=_("There is no district with code %(code)s."),
        out_of_scope_message=_("District %(code)s is not one of the districts you keep."),
    )


def commune_code_widget():
    """A commune given by its five-digit code ("70" as a spreadsheet may write "00070"),
    one of the importing user's communes."""
    return CommuneCodeWidget(
        AdministrativeUnit,
        unknown_message=_("There is no commune with code %(code)s."),
        out_of_scope_message=_("Commune %(code)s is not one of the communes you keep."),
    )


class CommuneCodeWidget(ScopedCodeWidget):
    def choices(self, user):
        return visible_communes(user).filter(valid_to__isnull=True)

    def clean(self, value, row=None, **kwargs):
        if not _is_empty(value):
            code = str(int(value)) if isinstance(value, float) and value.is_integer() else value
            code = str(code).strip()
            if code.isdigit() and len(code) < 5:
                value = code.zfill(5)
        found = super().clean(value, row, **kwargs)
        if found is not None and found.level != "commune":
            raise ValueError(str(self.unknown_message) % {"code": found.code})
        return found
