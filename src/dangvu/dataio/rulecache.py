"""Memo of rulebook lookups while one import runs.

`members.services.validate_member_data` asks `rule()` twice per row (minimum age, probation), one
or two queries each: for 50,000 rows that is well over 100,000 queries for a few thousand distinct
answers, and more than half of the import's time. Inside `cached_rules()` the answers of
`rule(key, on)` are memoised for the current context only (a ContextVar: other threads, requests
and tasks are unaffected); outside it, the wrapped name behaves exactly like `core.rulebook.rule`.

The memo belongs in `core.rulebook` (e.g. a `cached_rules()` there); until it exists this module
wraps the name `members.services` imported, once, with a pass-through.
"""

import contextlib
import contextvars

from dangvu.core import rulebook
from dangvu.members import services as member_services

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "dataio_rule_memo", default=None
)
_original = rulebook.rule


def _memoised_rule(key, on=None):
    memo = _memo.get()
    if memo is None or on is None:
        return _original(key, on)
    try:
        return memo[(key, on)]
    except KeyError:
        value = memo[(key, on)] = _original(key, on)
        return value


_memoised_rule.__wrapped__ = _original
_memoised_rule.__doc__ = _original.__doc__

if getattr(member_services.rule, "__wrapped__", None) is not _original:
    member_services.rule = _memoised_rule


@contextlib.contextmanager
def cached_rules():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)
