"""Rows of the generated API permission matrix for this app (see tests/api/test_permissions.py).

`build(world)` adds this app's objects to the matrix world (return value stored as
`world.<app>`); `CASES` are rows like the ones in test_permissions.py; `PATHS` are the OpenAPI
paths this app adds (checked by tests/api/test_schema.py).
"""

CASES: list = []
PATHS: set = set()


def build(world):
    return None
