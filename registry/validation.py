"""Model validation without a database round trip per rule: every model's
``validate_constraints()`` (:class:`ConstraintsInPythonMixin`), and a ``full_clean`` for bulk
paths (imports) that also answers unique checks once per file.

Django's ``Model.full_clean()`` evaluates every ``CheckConstraint`` by sending
``SELECT 1 WHERE <condition>`` to the database (inside a savepoint when a transaction is open),
and every unique field by one more query: ~30 statements a row for an industrial cluster. An
import of thousands of rows spends most of its time there.

:func:`full_clean` here gives the same errors, in the same order, as ``instance.full_clean()``
(clean_fields → clean → unique → constraints, each later step skipping the fields that failed an
earlier one), but

- evaluates a ``CheckConstraint``'s condition in Python when it is made only of what
  :func:`evaluate` understands (``Q`` trees of ``exact``, ``iexact``-free comparisons,
  ``isnull``, ``in``, ``regex`` on plain field values, ``F()`` references), with SQL's
  three-valued logic (a comparison with NULL is unknown, and an unknown condition passes, as in
  the database and in Django's own ``Coalesce(condition, True)``). Anything else, or a value
  whose type it is not sure about, falls back to the constraint's own ``validate()`` (the
  database), so the result never differs;
- answers single-field unique checks from a dictionary of the existing values loaded once per
  file (:class:`FileLookups`), falling back to Django's query for values it did not load, and
  checks that a foreign key exists once per value and file rather than once per row.

The rules themselves are not restated anywhere: they are read from ``Model._meta.constraints``
and the model's fields. The database still enforces every constraint on insert.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint, F, Q

UNKNOWN = None  # SQL's third truth value


class NotEvaluable(Exception):
    """The condition (or a value) is outside what :func:`evaluate` can decide exactly."""


def _plain(value):
    if isinstance(value, str) and "\x00" in value:
        raise NotEvaluable  # PostgreSQL refuses the value: Django's check then passes
    if isinstance(value, Decimal) and not value.is_finite():
        raise NotEvaluable


def _comparable(left, right):
    """Both plain values of one kind (numbers, dates or strings), else NotEvaluable."""
    _plain(left)
    _plain(right)
    for kinds in ((int, Decimal), (str,)):
        if (
            isinstance(left, kinds)
            and isinstance(right, kinds)
            and not isinstance(left, bool)
            and not isinstance(right, bool)
        ):
            return
    if (
        isinstance(left, datetime.date)
        and isinstance(right, datetime.date)
        and not isinstance(left, datetime.datetime)
        and not isinstance(right, datetime.datetime)
    ):
        return
    raise NotEvaluable


def _regex(value, pattern):
    _plain(value)
    if not isinstance(value, str) or not isinstance(pattern, str) or "\n" in value:
        # Python's "$" also matches before a final newline, PostgreSQL's does not.
        raise NotEvaluable
    return re.search(pattern, value) is not None


COMPARISONS = {
    "exact": lambda left, right: left == right,
    "gt": lambda left, right: left > right,
    "gte": lambda left, right: left >= right,
    "lt": lambda left, right: left < right,
    "lte": lambda left, right: left <= right,
}


def _compare(lookup, left, right):
    if lookup == "isnull":
        if not isinstance(right, bool):
            raise NotEvaluable
        return (left is None) is right
    if lookup == "exact" and right is None:
        return left is None  # Django turns exact=None into IS NULL
    if lookup == "in":
        if isinstance(right, str) or not hasattr(right, "__iter__"):
            raise NotEvaluable
        known = [value for value in right if value is not None]  # Django drops None too
        if not known:
            raise NotEvaluable  # Django refuses an empty IN
        if left is None:
            return UNKNOWN
        for value in known:
            _comparable(left, value)
        return left in known
    if lookup != "regex" and lookup not in COMPARISONS:
        raise NotEvaluable
    if left is None or right is None:
        return UNKNOWN
    if lookup == "regex":
        return _regex(left, right)
    _comparable(left, right)
    return COMPARISONS[lookup](left, right)


def _and(values):
    if any(v is False for v in values):
        return False
    return UNKNOWN if any(v is UNKNOWN for v in values) else True


def _or(values):
    if any(v is True for v in values):
        return True
    return UNKNOWN if any(v is UNKNOWN for v in values) else False


def _prep(field, value):
    """``field.get_prep_value(value)``, as the database query would send it (a CodeField
    upper-cases, a DateField parses); NotEvaluable if that fails."""
    if field is None:
        return value
    try:
        return field.get_prep_value(value)
    except Exception as error:
        raise NotEvaluable from error


def evaluate(condition, values: dict, fields: dict | None = None):
    """The truth value (True, False or None for unknown) of a ``Q`` condition over ``values``
    (field name → value as the database receives it). ``fields`` (name → model field)
    prepares the condition's literals as Django's lookups do. Raises KeyError for a field not
    in ``values`` (the caller skips the constraint, as Django does for excluded fields) and
    NotEvaluable for anything it cannot decide exactly."""
    fields = fields or {}
    if isinstance(condition, Q):
        results = [evaluate(child, values, fields) for child in condition.children]
        if condition.connector == Q.AND:
            result = _and(results)
        elif condition.connector == Q.OR:
            result = _or(results)
        else:
            raise NotEvaluable
        if condition.negated:
            result = UNKNOWN if result is UNKNOWN else not result
        return result
    if not isinstance(condition, tuple) or len(condition) != 2:
        raise NotEvaluable
    path, right = condition
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise NotEvaluable  # transforms or related fields
    if isinstance(right, F):
        if "__" in right.name:
            raise NotEvaluable
        right = values[right.name]
    elif hasattr(right, "resolve_expression"):
        raise NotEvaluable
    elif lookup in COMPARISONS:
        right = _prep(fields.get(name), right)
    elif lookup == "in":
        if isinstance(right, str) or not hasattr(right, "__iter__"):
            raise NotEvaluable
        right = [_prep(fields.get(name), value) for value in right]
    return _compare(lookup, values[name], right)


def _not_evaluable(values):
    raise NotEvaluable


def compile_condition(condition, fields: dict | None = None):
    """:func:`evaluate` made once: a function of ``values`` giving what ``evaluate(condition,
    values, fields)`` gives (the same result, KeyError or NotEvaluable, in the same order),
    with the condition's structure read and its literals prepared once instead of per row."""
    fields = fields or {}
    if isinstance(condition, Q):
        children = [compile_condition(child, fields) for child in condition.children]
        combine = {Q.AND: _and, Q.OR: _or}.get(condition.connector)
        negated = condition.negated

        def run(values):
            results = [child(values) for child in children]
            if combine is None:
                raise NotEvaluable
            result = combine(results)
            if negated:
                result = UNKNOWN if result is UNKNOWN else not result
            return result

        return run
    if not isinstance(condition, tuple) or len(condition) != 2:
        return _not_evaluable
    path, right = condition
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        return _not_evaluable
    if isinstance(right, F):
        if "__" in right.name:
            return _not_evaluable
        other = right.name

        def compare_fields(values):
            right_value = values[other]
            return _compare(lookup, values[name], right_value)

        return compare_fields
    if hasattr(right, "resolve_expression"):
        return _not_evaluable
    try:
        if lookup in COMPARISONS:
            right = _prep(fields.get(name), right)
        elif lookup == "in":
            if isinstance(right, str) or not hasattr(right, "__iter__"):
                return _not_evaluable
            right = [_prep(fields.get(name), value) for value in right]
    except NotEvaluable:
        return _not_evaluable

    def compare(values):
        return _compare(lookup, values[name], right)

    return compare


_COMPILED = {}  # (model, constraint id) -> (constraint, function)


def _compiled(model_class, constraint, fields):
    key = (model_class, id(constraint))
    found = _COMPILED.get(key)
    if found is None or found[0] is not constraint:
        found = (constraint, compile_condition(Q(constraint.condition), fields))
        _COMPILED[key] = found
    return found[1]


def _field_values(instance, meta, exclude) -> dict:
    """What Django's constraint validation compares (``_get_field_expression_map``)."""
    values = {}
    for field in meta.local_concrete_fields:
        if field.name in exclude:
            continue
        if field.generated:
            raise NotEvaluable
        value = getattr(instance, field.attname)
        if hasattr(value, "resolve_expression"):
            raise NotEvaluable
        values[field.name] = _prep(field, value)
    if "pk" not in exclude:
        values["pk"] = _prep(meta.pk, instance.pk)
    return values


def validate_constraints(instance, exclude=None):
    """``instance.validate_constraints(exclude)`` with check conditions evaluated in Python
    where that is exact (see the module's docstring)."""
    exclude = set(exclude or ())
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model_class, constraints in instance.get_constraints():
        values = None
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint):
                    try:
                        if values is None:
                            values = _field_values(instance, model_class._meta, exclude)
                            fields = {f.name: f for f in model_class._meta.local_concrete_fields}
                            fields["pk"] = model_class._meta.pk
                        condition = _compiled(model_class, constraint, fields)
                        holds = condition(values) is not False
                    except KeyError:
                        continue  # refers to an excluded field: Django skips it too
                    except NotEvaluable:
                        holds = None
                    if holds is None:
                        constraint.validate(model_class, instance, exclude=exclude, using=using)
                    elif not holds:
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class ConstraintsInPythonMixin:
    """Models whose ``validate_constraints()`` — and so ``full_clean()``, used by the admin's
    forms, the API's serializers and the spreadsheet import alike — evaluates check
    constraints in Python where that is exact (:func:`validate_constraints`)."""

    def validate_constraints(self, exclude=None):
        validate_constraints(self, exclude)


def chunked(values, size=900, model=None):
    """Lists of at most ``size`` values (SQLite allows 999 parameters a statement); all in
    one list when ``model``'s database has no such limit (PostgreSQL), so that a file costs
    one query whatever its length."""
    values = list(values)
    if model is not None:
        limit = connections[router.db_for_read(model)].features.max_query_params
        if limit is None:
            size = max(1, len(values))
    for start in range(0, len(values), size):
        yield values[start : start + size]


class FileLookups:
    """Answers gathered once per file instead of once per row:

    - the existing values of single-field unique fields, loaded with one query per 900 values
      a file contains (``unique_candidates``: ``{field name: values}``);
    - the foreign keys already found to exist by an earlier row (Django's ``ForeignKey.validate``
      queries the related table for every instance).
    """

    def __init__(self, model, unique_candidates: dict | None = None):
        self.model = model
        self.unique = {}
        self.related = {}
        manager = model._default_manager
        for name, wanted in (unique_candidates or {}).items():
            wanted = {
                value
                for value in wanted
                if value not in (None, "") and not (isinstance(value, str) and "\x00" in value)
            }
            existing = {}
            for chunk in chunked(sorted(wanted, key=str), model=model):
                existing.update(manager.filter(**{f"{name}__in": chunk}).values_list(name, "pk"))
            self.unique[name] = (existing, wanted)

    def unique_lookup(self, name, value):
        """(True, pk or None) when the answer is known, (False, None) otherwise."""
        if name not in self.unique:
            return False, None
        existing, wanted = self.unique[name]
        if value not in wanted:
            return False, None
        return True, existing.get(value)

    def known_related(self, instance, exclude) -> set:
        """The names of the instance's foreign keys whose value an earlier row has validated."""
        return {
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one
            and field.name not in exclude
            and getattr(instance, field.attname) in self.related.get(field.name, ())
        }

    def remember_related(self, instance, exclude, errors):
        for field in instance._meta.concrete_fields:
            if field.many_to_one and field.name not in exclude and field.name not in errors:
                value = getattr(instance, field.attname)
                if value is not None:
                    self.related.setdefault(field.name, set()).add(value)


def _validate_unique(instance, exclude, lookups: FileLookups | None):
    """``instance.validate_unique(exclude)``, answering single-field checks from
    ``lookups`` where it knows the value."""
    unique_checks, date_checks = instance._get_unique_checks(exclude=exclude)
    errors = {}
    for model_class, check in unique_checks:
        if lookups is not None and len(check) == 1 and model_class is type(instance):
            attname = model_class._meta.get_field(check[0]).attname
            known, pk = lookups.unique_lookup(check[0], getattr(instance, attname, None))
            if known:
                if pk is not None and (instance._state.adding or pk != instance.pk):
                    errors.setdefault(check[0], []).append(
                        instance.unique_error_message(model_class, check)
                    )
                continue
        for key, messages in instance._perform_unique_checks([(model_class, check)]).items():
            errors.setdefault(key, []).extend(messages)
    for key, messages in instance._perform_date_checks(date_checks).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def full_clean(instance, exclude=None, validate_unique=True, lookups: FileLookups | None = None):
    """``instance.full_clean(exclude, validate_unique)``: the same errors, without a query per
    rule."""
    errors = {}
    exclude = set(exclude or ())
    # A foreign key an earlier row has validated (same value, still present) needs no query:
    # its other checks (required, choices) passed with that same value.
    known = lookups.known_related(instance, exclude) if lookups is not None else set()
    try:
        instance.clean_fields(exclude=exclude | known)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if lookups is not None:
        lookups.remember_related(instance, exclude | known, errors)
    try:
        instance.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    steps = [lambda: instance.validate_constraints(exclude=exclude)]
    if validate_unique:
        steps.insert(0, lambda: _validate_unique(instance, exclude, lookups))
    for step in steps:
        for name in errors:
            if name != NON_FIELD_ERRORS:
                exclude.add(name)
        try:
            step()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
