"""Create many rows with their audit history in one go: PostgreSQL `COPY`, elsewhere bulk_create.

`bulk_create_with_history` (simple-history) builds an INSERT with one placeholder per value —
for an import of 100,000 members that is most of the time spent (the SQL compiler prepares 840,000
values per 5,000 rows). On PostgreSQL the same rows go through `COPY … FROM STDIN`: ids are
reserved from the table's sequence first, so the objects come back with their primary keys like
bulk_create's, and the history rows (type "+", the same user, reason, IP and channel) are copied
next to them.
"""

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
    statement bulk_create writes, without compiling it value by value). Other databases get
    the instances, written through `create_with_history`.
    """
    if not rows:
        return []
    hist = {
        "batch_size": batch_size,
        "default_user": default_user,
        "default_change_reason": default_change_reason,
        "custom_historical_attrs": custom_historical_attrs,
    }
    vendor = connection.vendor
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy costs a lookup per value
    if vendor not in ("postgresql", "sqlite"):
        objs = [model(**row) for row in rows]
        create_with_history(objs, model, **hist)
        return [o.pk for o in objs]
    meta = model._meta
    fields = list(meta.concrete_fields)
    pg = vendor == "postgresql"
    ids = _reserve_ids(meta, len(rows)) if pg else [None] * len(rows)
    now = timezone.now()
    pk_name = meta.pk.attname
    auto_now = [f.attname for f in fields if getattr(f, "auto_now", False)]
    auto_add = [
        f.attname
        for f in fields
        if getattr(f, "auto_now_add", False) and not getattr(f, "auto_now", False)
    ]
    called = [(f.attname, f.default) for f in fields if f.has_default() and callable(f.default)]
    called_names = {a for a, _d in called}
    defaults = [(f.attname, None if f.attname in called_names else f.get_default()) for f in fields]
    preps = [(i, prep) for i, f in enumerate(fields) if (prep := _prep(f, vendor)) is not None]

    plain = []  # each row's values as the model would hold them (before preparation)
    for row, new_id in zip(rows, ids, strict=True):
        row[pk_name] = new_id
        for a in auto_now:
            row[a] = now
        for a in auto_add:
            if row.get(a) is None:
                row[a] = now
        for a, default in called:
            if a not in row:
                row[a] = default()
        plain.append([row.get(a, d) for a, d in defaults])

    def prepared(values_list):
        for values in values_list:
            if preps:
                values = list(values)
                for i, prep in preps:
                    values[i] = prep(values[i], db)
            yield values

    if pg:
        _copy(meta.db_table, fields, prepared(plain))
    else:
        pk_index = fields.index(meta.pk)
        ids = _insert_returning_ids(
            meta, fields, pk_index, [v[:pk_index] + v[pk_index + 1 :] for v in prepared(plain)]
        )
        for values, new_id in zip(plain, ids, strict=True):
            values[pk_index] = new_id

    history = model.history.model
    hmeta = history._meta
    extra = _history_extra(model, now, default_user, default_change_reason, custom_historical_attrs)
    hfields = [f for f in hmeta.concrete_fields if f.attname != "history_id"]
    index = {f.attname: i for i, f in enumerate(fields)}
    copied = []  # (position in the history row, position in the model row, preparation)
    fixed = []  # the history columns that are the same on every row, prepared once
    for pos, f in enumerate(hfields):
        if f.attname in index and f.attname not in extra:
            i = index[f.attname]
            copied.append((pos, i, _prep(fields[i], vendor)))
            fixed.append(None)
        else:
            value = extra.get(f.attname)
            prep = _prep(f, vendor)
            fixed.append(prep(value, db) if prep else value)

    def history_rows():
        for values in plain:
            out = list(fixed)
            for pos, i, prep in copied:
                out[pos] = prep(values[i], db) if prep else values[i]
            yield out

    if pg:
        _copy(hmeta.db_table, hfields, history_rows())
    else:
        _insert(hmeta.db_table, hfields, list(history_rows()))
    return ids


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


def _insert(table: str, fields, rows) -> None:
    for sql, params in _statements(table, fields, rows, ""):
        with connection.cursor() as c:
            c.execute(sql, params)


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
