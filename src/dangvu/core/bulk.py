"""Create many rows with their audit history in one go: PostgreSQL `COPY`, elsewhere bulk_create.

`bulk_create_with_history` (simple-history) builds an INSERT with one placeholder per value —
for an import of 100,000 members that is most of the time spent (the SQL compiler prepares 840,000
values per 5,000 rows). On PostgreSQL the same rows go through `COPY … FROM STDIN`: ids are
reserved from the table's sequence first, so the objects come back with their primary keys like
bulk_create's, and the history rows (type "+", the same user, reason, IP and channel) are copied
next to them.

`create_rows_with_history` (rows as dicts, PostgreSQL and SQLite) writes the history rows with one
`INSERT … SELECT` from the rows just written: the values as stored, so exactly what a history row
copied from the instance holds, without building and sending every row a second time.
`insert_select` derives rows of another model from written rows the same way (an import's
events and memberships from its members), `insert_history_select` their history rows.
"""

import json

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from simple_history.utils import bulk_create_with_history


def create_with_history(
    objs: list,
    model,
    *,
    batch_size: int = 500,
    default_user=None,
    default_change_reason: str | None = None,
    custom_historical_attrs: dict | None = None,
) -> list:
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        custom_historical_attrs = dict(custom_historical_attrs or {})
        if any(f.name == "source" for f in model._meta.concrete_fields):
            custom_historical_attrs.pop("source", None)  # the model's own column (core.signals)
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
            custom_historical_attrs=custom_historical_attrs,
        )
    meta = model._meta
    pk = meta.pk
    ids = _reserve_ids(meta, len(objs))
    now = timezone.now()
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        for f in meta.concrete_fields:  # auto_now / auto_now_add, as save() would set them
            if getattr(f, "auto_now", False) or (
                getattr(f, "auto_now_add", False) and getattr(obj, f.attname) is None
            ):
                setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = "default"
    fields = list(meta.concrete_fields)
    preps = [(f.attname, _prep(f)) for f in fields]  # once per model, not per row
    _copy(meta.db_table, fields, (_values(o, preps) for o in objs))

    history = model.history.model
    hmeta = history._meta
    extra = _history_extra(model, now, default_user, default_change_reason, custom_historical_attrs)
    hfields = [f for f in hmeta.concrete_fields if f.attname != "history_id"]
    own = {f.attname: f for f in fields}

    plan = []
    for f in hfields:
        copied = f.attname in own and f.attname not in extra
        # a copied value is prepared as the model's field would (a photo: its file name)
        plan.append(
            (f.attname, extra.get(f.attname), copied, _prep(own[f.attname] if copied else f))
        )

    def history_rows():
        for o in objs:
            row = []
            for attname, fixed, copied, prep in plan:
                value = getattr(o, attname) if copied else fixed
                row.append(prep(value, connection) if prep else value)
            yield row

    _copy(hmeta.db_table, hfields, history_rows())
    return objs


def create_rows_with_history(
    rows: list[dict],
    model,
    *,
    batch_size: int = 500,
    default_user=None,
    default_change_reason: str | None = None,
    custom_historical_attrs: dict | None = None,
) -> list[int]:
    """`create_with_history` for rows given as {attname: value} instead of model instances: the
    same rows and history rows (a field a row leaves out gets the model's default, as
    `model(**row)` would), and the new ids in the order of `rows`.

    No instance is built (building a Member costs more than writing it): on PostgreSQL each
    row goes to COPY as a list of values; on SQLite into a multi-row INSERT … RETURNING id (the
    statement bulk_create writes, without compiling it value by value). The history rows follow
    by one INSERT … SELECT of the rows just written (`insert_history_select`). Other databases
    get the instances, written through `create_with_history`.
    """
    if not rows:
        return []
    hist = {
        "default_user": default_user,
        "default_change_reason": default_change_reason,
        "custom_historical_attrs": custom_historical_attrs,
    }
    vendor = connection.vendor
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a lookup per value
    if vendor not in ("postgresql", "sqlite"):
        objs = [model(**row) for row in rows]
        create_with_history(objs, model, batch_size=batch_size, **hist)
        return [o.pk for o in objs]
    meta = model._meta
    fields = list(meta.concrete_fields)
    pg = vendor == "postgresql"
    ids = _reserve_ids(meta, len(rows)) if pg else [None] * len(rows)
    now = timezone.now()
    pk_name = meta.pk.attname
    index = {f.attname: i for i, f in enumerate(fields)}
    auto_now = [index[f.attname] for f in fields if getattr(f, "auto_now", False)]
    auto_add = [
        index[f.attname]
        for f in fields
        if getattr(f, "auto_now_add", False) and not getattr(f, "auto_now", False)
    ]
    called = [
        (i, f.default) for i, f in enumerate(fields) if f.has_default() and callable(f.default)
    ]
    preps = [_prep(f, vendor) for f in fields]
    # A value a row leaves out is the field's default, prepared once here, not once per row
    # (callable defaults are called per row, below).
    template = []
    for f, prep in zip(fields, preps, strict=True):
        value = None if f.has_default() and callable(f.default) else f.get_default()
        template.append(prep(value, db) if prep else value)
    pk_index = index[pk_name]
    stamp = {i: preps[i](now, db) if preps[i] else now for i in auto_now + auto_add}

    plain = []  # each row's values, prepared, in field order
    for row, new_id in zip(rows, ids, strict=True):
        values = list(template)
        for name, value in row.items():
            i = index.get(name)
            if i is None:  # not a column: ignored
                continue
            prep = preps[i]
            values[i] = prep(value, db) if prep else value
        values[pk_index] = new_id
        for i in auto_now:
            values[i] = stamp[i]
        for i in auto_add:
            if row.get(fields[i].attname) is None:
                values[i] = stamp[i]
        for i, default in called:
            if fields[i].attname not in row:
                values[i] = preps[i](default(), db) if preps[i] else default()
        plain.append(values)

    if pg:
        _copy(meta.db_table, fields, plain)
    else:
        ids = _insert_returning_ids(
            meta, fields, pk_index, [v[:pk_index] + v[pk_index + 1 :] for v in plain]
        )
    where, params = ids_match(_qualified("s", meta.pk.column), ids, meta.pk)
    insert_history_select(
        model, where=where, params=params, order_by=meta.pk.column, now=now, **hist
    )
    return ids


class Col(str):
    """In `insert_select`: the value of this column of the source row (any other value is a
    constant)."""


def ids_match(column_sql: str, ids, field=None) -> tuple[str, list]:
    """A condition "column is one of `ids`" with ONE parameter whatever the count (an array on
    PostgreSQL, JSON on SQLite): no statement with thousands of placeholders to build and parse."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        # an array literal: psycopg would adapt a list of 2,000 values one by one in Python
        if field is not None and all(type(i) is int for i in ids):
            literal = "{" + ",".join(map(str, ids)) + "}"
            return f"{column_sql} = ANY(%s::{field.db_type(connection)}[])", [literal]
        if all(type(i) is str for i in ids):
            quoted = (i.replace("\\", "\\\\").replace('"', '\\"') for i in ids)
            literal = "{" + ",".join(f'"{i}"' for i in quoted) + "}"
            return f"{column_sql} = ANY(%s::text[])", [literal]
        return f"{column_sql} = ANY(%s)", [ids]
    if connection.vendor == "sqlite":
        return f"{column_sql} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]
    if not ids:
        return "1 = 0", []
    return f"{column_sql} IN ({', '.join(['%s'] * len(ids))})", ids


def _qualified(alias: str, column: str) -> str:
    return f"{alias}.{connection.ops.quote_name(column)}"


def _constant(field, value) -> tuple[str, list]:
    """A constant for `field` in a SELECT list, prepared as the field would save it; typed on
    PostgreSQL (an untyped NULL or text in a UNION would not fit a date column)."""
    db = connections[DEFAULT_DB_ALIAS]
    prepared = field.get_db_prep_save(value, db) if value is not None else None
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})", [prepared]
    return "%s", [prepared]


def insert_select(
    model, branches: list[tuple[dict, str]], *, source, where: str, params: list, order_by: str
) -> int:
    """Rows of `model` derived from rows of the `source` model (alias `s`) by one INSERT … SELECT.

    Each branch is ({attname: Col(source column) or constant}, extra condition or ""), and gives
    one row per source row matching `where` (and the extra condition). A field a branch leaves out
    gets the model's default (auto_now/auto_now_add: now), the primary key its sequence. Rows
    are inserted in the order of the source column `order_by`, branch by branch within one
    source row, so ids follow the order a loop over the source rows would give. Returns the
    number of rows written.
    """
    q = connection.ops.quote_name
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    selects, args = [], []
    for n, (values, condition) in enumerate(branches):
        exprs = []
        for i, f in enumerate(fields):
            if f.attname in values:
                value = values[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            if isinstance(value, Col):
                exprs.append(f"{_qualified('s', value)} AS v{i}")
            else:
                sql, p = _constant(f, value)
                exprs.append(f"{sql} AS v{i}")
                args += p
        cond = f"({where}) AND ({condition})" if condition else where
        selects.append(
            f"SELECT {', '.join(exprs)}, {_qualified('s', order_by)} AS k0, {n} AS k1 "
            f"FROM {q(source._meta.db_table)} s WHERE {cond}"
        )
        args += params
    cols = ", ".join(q(f.column) for f in fields)
    outer = ", ".join(f"v{i}" for i in range(len(fields)))
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({cols}) SELECT {outer} FROM "
        f"({' UNION ALL '.join(selects)}) u ORDER BY k0, k1"
    )
    with connection.cursor() as c:
        c.execute(sql, args)
        return c.rowcount


def insert_history_select(
    model,
    *,
    where: str,
    params: list,
    order_by: str,
    now=None,
    default_user=None,
    default_change_reason: str | None = None,
    custom_historical_attrs: dict | None = None,
) -> int:
    """The "+" history rows of rows already written (alias `s`, those matching `where`), by one
    INSERT … SELECT: every column the history shares with the model comes from the stored row,
    the others (date, type, user, reason, IP, channel) are the constants `create_with_history`
    writes. In the order of `order_by`; returns the number of rows written."""
    q = connection.ops.quote_name
    history = model.history.model
    extra = _history_extra(
        model, now or timezone.now(), default_user, default_change_reason, custom_historical_attrs
    )
    own = {f.attname: f for f in model._meta.concrete_fields}
    cols, exprs, args = [], [], []
    for f in history._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(q(f.column))
        if f.attname in own and f.attname not in extra:
            exprs.append(_qualified("s", own[f.attname].column))
        else:
            sql, p = _constant(f, extra.get(f.attname))
            exprs.append(sql)
            args += p
    sql = (
        f"INSERT INTO {q(history._meta.db_table)} ({', '.join(cols)}) "
        f"SELECT {', '.join(exprs)} FROM {q(model._meta.db_table)} s WHERE {where} "
        f"ORDER BY {_qualified('s', order_by)}"
    )
    with connection.cursor() as c:
        c.execute(sql, args + params)
        return c.rowcount


def _insert_returning_ids(meta, fields, pk_index, rows) -> list[int]:
    """SQLite: INSERT the rows (without their id) in statements of as many rows as the
    parameter limit allows, RETURNING the new ids in row order, as bulk_create relies on."""
    q = connection.ops.quote_name
    columns = [f for i, f in enumerate(fields) if i != pk_index]
    ids: list[int] = []
    for sql, params in _statements(meta.db_table, columns, rows, f" RETURNING {q(meta.pk.column)}"):
        with connection.cursor() as c:
            c.execute(sql, params)
            ids.extend(r[0] for r in c.fetchall())
    if len(ids) != len(rows):  # pragma: no cover - a database that does not return every row
        raise RuntimeError("INSERT … RETURNING gave back fewer ids than rows")
    return ids


def _statements(table: str, fields, rows, suffix: str):
    q = connection.ops.quote_name
    cols = ", ".join(q(f.column) for f in fields)
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.features.max_query_params // max(1, len(fields)))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = f"INSERT INTO {q(table)} ({cols}) VALUES {', '.join([per_row] * len(chunk))}{suffix}"
        yield sql, [v for row in chunk for v in row]


def _reserve_ids(meta, n: int) -> list[int]:
    with connection.cursor() as c:
        c.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, n],
        )
        return [row[0] for row in c.fetchall()]


def _history_extra(model, now, default_user, default_change_reason, custom_historical_attrs):
    attrs = dict(custom_historical_attrs or {})
    if any(f.name == "source" for f in model._meta.concrete_fields):
        attrs.pop("source", None)  # the model's own column (see core.signals)
    return {
        "history_date": now,
        "history_type": "+",
        "history_change_reason": default_change_reason,
        "history_user_id": getattr(default_user, "pk", None),
        **attrs,
    }


# Column types psycopg writes from the Python value as it is (no Django preparation needed)
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "GenericIPAddressField",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


# On SQLite dates, times, decimals and addresses go through Django's adaptation (text columns).
_PLAIN_SQLITE = _PLAIN - {
    "DateField",
    "DateTimeField",
    "DecimalField",
    "GenericIPAddressField",
}


def _prep(field, vendor: str = "postgresql"):
    """None when the value goes to the database as it is, else the field's get_db_prep_save."""
    plain = _PLAIN if vendor == "postgresql" else _PLAIN_SQLITE
    return None if field.get_internal_type() in plain else field.get_db_prep_save


def _values(obj, preps) -> list:
    return [prep(getattr(obj, a), connection) if prep else getattr(obj, a) for a, prep in preps]


def _copy(table: str, fields, rows) -> None:
    q = connection.ops.quote_name
    cols = ", ".join(q(f.column) for f in fields)
    with connection.cursor() as c, c.cursor.copy(f"COPY {q(table)} ({cols}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
