"""Errors raised by services: a Vietnamese message, the field it concerns, and the rule's source."""

from django.core.exceptions import ValidationError


def rule_error(
    field: str | None, message: str, rule_value=None, code: str = "rule"
) -> ValidationError:
    """A ValidationError naming the field, citing the rulebook source when a rule blocks."""
    if rule_value is not None:
        message = f"{message} ({rule_value.citation})"
    if field:
        return ValidationError({field: ValidationError(message, code=code)})
    return ValidationError(message, code=code)


def merge_errors(errors: dict) -> ValidationError | None:
    return ValidationError(errors) if errors else None
