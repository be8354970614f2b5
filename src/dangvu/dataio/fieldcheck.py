"""`Model.full_clean()` of a new row without building the model instance (the import's hot path).

For a new member the import used to build a `Member` and call
`full_clean(exclude=…, validate_unique=False, validate_constraints=False)`: about 30 fields
cleaned per row. `FieldCheck` gives the same errors from the row's values:

- a value that plainly passes its field is accepted at once: a text within `max_length` in a
  plain CharField, one of a field's choices (the set of choices that pass is computed once), a
  `date` in a DateField without validators, an empty value in a field that may be blank (which
  `clean_fields` skips too);
- any other value goes through the field's own `clean()`, so a message is Django's own, in
  the model's field order, and a cleaned value replaces the raw one as `clean_fields` does;
- fields the row does not set keep the model's default, checked once when the check is built.

If the model defines `clean()` (model-wide checks) the instance path is the only faithful one,
and `FieldCheck.usable` is False.
"""

import datetime as dt

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models


def _plain_char(field) -> bool:
    return (
        type(field) is models.CharField
        and field.max_length is not None
        and len(field.validators) == 1
        and isinstance(field.validators[0], validators.MaxLengthValidator)
        and field.validators[0].limit_value == field.max_length
    )


class FieldCheck:
    def __init__(self, model, exclude=()):
        self.model = model
        self.usable = model.clean is models.Model.clean
        self.plan = []
        exclude = set(exclude)
        for f in model._meta.fields:
            if f.name in exclude or f.generated:
                continue
            default = f.get_default()
            self.plan.append(
                (f.name, f.attname, f, self._fast(f), default, self._passes(f, default))
            )
        # errors() looks at the fields a row sets, then at the defaults that do not pass
        self._by_attname = {
            attname: (order, name, field, fast)
            for order, (name, attname, field, fast, _d, _ok) in enumerate(self.plan)
        }
        self._failing_defaults = [
            (order, name, attname, field, fast, default)
            for order, (name, attname, field, fast, default, ok) in enumerate(self.plan)
            if not ok
        ]

    @staticmethod
    def _passes(field, value) -> bool:
        """True when `clean_fields` would leave the value as it is, without an error."""
        if field.blank and value in field.empty_values:
            return True
        try:
            return field.clean(value, None) == value
        except ValidationError:
            return False

    def _fast(self, f):
        """A predicate that is True only for values `f.clean()` accepts unchanged (else None)."""
        blank, empty = f.blank, f.empty_values
        if f.choices is not None:
            ok = {k for k, _label in f.flatchoices if isinstance(k, str) and self._passes(f, k)}
            return lambda v: (type(v) is str and v in ok) or (blank and v in empty)
        if _plain_char(f):
            limit = f.max_length
            if blank:
                return lambda v: type(v) is str and len(v) <= limit or v is None
            # "" fails a required field (message from clean()); None is handled by clean() too
            return lambda v: type(v) is str and 0 < len(v) <= limit
        if type(f) is models.DateField and not f.validators:
            if blank:
                return lambda v: type(v) is dt.date or v is None or v == ""
            return lambda v: type(v) is dt.date
        return None

    def errors(self, values: dict) -> dict[str, list]:
        """{field name: [ValidationError]} as `clean_fields` would raise them, in field order.

        Cleaned values are written back into `values` (as clean_fields sets them on the instance).
        Only the values a row sets are looked at (and the defaults that do not pass), the plain
        ones accepted by their predicate; the others are cleaned in the model's field order.
        """
        slow = []
        by_attname = self._by_attname
        for attname, value in values.items():
            entry = by_attname.get(attname)
            if entry is None:
                continue
            order, name, field, fast = entry
            if fast is not None and fast(value):
                continue
            slow.append((order, name, attname, field, value, True))
        for order, name, attname, field, fast, default in self._failing_defaults:
            if attname not in values and not (fast is not None and fast(default)):
                slow.append((order, name, attname, field, default, False))
        if not slow:
            return {}
        slow.sort(key=lambda item: item[0])
        errors = {}
        for _order, name, attname, field, value, given in slow:
            if field.blank and value in field.empty_values:
                continue
            try:
                cleaned = field.clean(value, None)
            except ValidationError as exc:
                errors[name] = exc.error_list
                continue
            if given:
                values[attname] = cleaned
        return errors
