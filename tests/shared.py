"""Rows built once per test module instead of once per test (the tree, the users, a module's cast).

Why: building the tree and the nine users took about 0.3 s of CPU in each of ~1,400 tests, a third
of the suite. Now a module builds them once inside a transaction of its own; every test still
runs in a savepoint of that transaction (pytest-django's `db`) that is rolled back after it, so
each test starts from exactly the rows it started from before, and gets fresh model instances.

How a fixture is shared: a module-scoped fixture named `_shared_<name>` builds the rows with
`build_shared(request, "<name>", build)` and returns their primary keys (None when the module does
not share it); the function-scoped fixture `<name>` takes it as an argument and either fetches fresh
instances by those keys or, when it is None, builds the rows for the test as before.

Which tests see which rows: in each module the tests are ordered so that the shared rows grow
along the way (tests with no shared fixture first, then `tree`, then `tree` + `users`, then a
fixture on top of those), so a test never sees rows it did not ask for. When two shared fixtures
of a module are not nested that way (e.g. some tests take `cell_staff` without `users`, others
`users` without `cell_staff`), the less used one is built per test again. Modules with a
transactional test (live server, browser, `transaction=True`) share nothing: their tests commit
and flush, which a surrounding transaction would break.

A module can opt out with `SHARED_FIXTURES = False` at module level.
"""

from collections import Counter, defaultdict

import pytest

PREFIX = "_shared_"
# module node id -> names (without prefix) of the fixtures that module builds once
_SHARED: dict[str, frozenset[str]] = {}

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _transactional(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if names & _TRANSACTIONAL_FIXTURES:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    kw = marker.kwargs
    return bool(
        kw.get("transaction")
        or kw.get("reset_sequences")
        or kw.get("serialized_rollback")
        or (marker.args and marker.args[0])
    )


def _shared_deps(item, name: str) -> set[str]:
    """The shared fixtures `_shared_<name>` depends on, directly or not (names without prefix)."""
    out, todo = set(), [PREFIX + name]
    defs = item._fixtureinfo.name2fixturedefs
    while todo:
        current = todo.pop()
        for arg in defs[current][-1].argnames if current in defs else ():
            if arg.startswith(PREFIX) and arg[len(PREFIX) :] not in out:
                out.add(arg[len(PREFIX) :])
                todo.append(arg)
    return out


def _is_chain(sets) -> bool:
    ordered = sorted(set(sets), key=len)
    return all(a <= b for a, b in zip(ordered, ordered[1:], strict=False))


def _plan_module(items) -> tuple[frozenset[str], list]:
    """(names shared in this module, its items in run order)."""
    module = items[0].module
    if getattr(module, "SHARED_FIXTURES", True) is False or any(map(_transactional, items)):
        return frozenset(), items
    wanted = [
        frozenset(f[len(PREFIX) :] for f in item.fixturenames if f.startswith(PREFIX))
        for item in items
    ]
    allowed = set().union(*wanted)
    if not allowed:
        return frozenset(), items
    deps = {}
    for item, names in zip(items, wanted, strict=True):
        for name in names:
            deps.setdefault(name, _shared_deps(item, name))
    uses = Counter(name for names in wanted for name in names)
    while True:
        # a fixture whose own shared dependencies are not shared cannot be shared either
        while broken := {n for n in allowed if not deps[n] <= allowed}:
            allowed -= broken
        projected = [names & allowed for names in wanted]
        if _is_chain(projected):
            break
        # drop the least used fixture among those that keep two tests' rows from nesting
        ordered = sorted(set(projected), key=len)
        conflict = next((a ^ b) for a in ordered for b in ordered if not (a <= b or b <= a))
        allowed.discard(min(conflict, key=lambda n: (uses[n], n)))
    order = sorted(range(len(items)), key=lambda i: len(projected[i]))
    return frozenset(allowed), [items[i] for i in order]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    groups = defaultdict(list)
    modules = []
    for item in items:
        module = item.getparent(pytest.Module)
        key = module.nodeid if module is not None else ""
        if key not in groups:
            modules.append(key)
        groups[key].append(item)
    _SHARED.clear()
    out = []
    for key in modules:
        if not key or not hasattr(groups[key][0], "module"):
            out.extend(groups[key])
            continue
        names, ordered = _plan_module(groups[key])
        if names:
            _SHARED[key] = names
        out.extend(ordered)
    items[:] = out


@pytest.fixture(scope="module")
def _module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around the whole module when it shares rows, rolled back at its end."""
    if not _SHARED.get(request.node.nodeid):
        yield None
        return
    from django.core.cache import cache
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic(using="default")
        atomic._from_testcase = True  # code under test may open durable blocks, as in TestCase
        atomic.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True, using="default")
            atomic.__exit__(None, None, None)
            cache.clear()


def build_shared(request, name: str, build, *deps):
    """Run `build()` once for the module if it shares `name` (and has the shared `deps`): its result
    (primary keys, not instances) is the value of `_shared_<name>`; None otherwise."""
    if name not in _SHARED.get(request.node.nodeid, ()) or any(d is None for d in deps):
        return None
    blocker = request.getfixturevalue("_module_transaction")
    if blocker is None:  # pragma: no cover - _SHARED says the module shares rows
        return None
    with blocker.unblock():
        return build()
