"""Field types shared by the registry's models."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

#: Registry codes: upper-case letters and digits in groups joined by single hyphens.
#: The same pattern is a database check constraint on every model that has a code.
CODE_REGEX = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"

code_validator = RegexValidator(
    CODE_REGEX,
    _("Use only letters A–Z, digits and single hyphens between them, for example CCN-NGOC-HOI."),
    code="invalid_code",
)


class CodeField(models.CharField):
    """A stable registry code; input is trimmed and upper-cased before it is validated."""

    default_validators = [code_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("unique", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # ``unique`` defaults to True here, so a copy without it (django-simple-history's
        # historical models, where one code has many rows) must say unique=False explicitly.
        if not self._unique:
            kwargs["unique"] = False
        return name, path, args, kwargs


def dates_in_order(earlier: str, later: str) -> Q:
    """A check condition: both dates present → ``earlier`` ≤ ``later``; a missing date
    constrains nothing."""
    return (
        Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__lte": F(later)})
    )


def choice_in(field_name: str, choices, *, blank: bool = False, null: bool = False) -> Q:
    """A check constraint's condition: the field holds one of ``choices`` (or blank / null
    where allowed)."""
    condition = Q(**{f"{field_name}__in": choices.values})
    if blank:
        condition |= Q(**{field_name: ""})
    if null:
        condition |= Q(**{f"{field_name}__isnull": True})
    return condition
