"""Set-based writes: many rows in one statement stream, never one ORM object at a time.

PostgreSQL gets COPY (psycopg 3); SQLite gets one prepared INSERT run with `executemany`.
Callers pass plain tuples in column order; values must already be database-ready (dates as
`datetime.date`, JSON as `str` from `json.dumps`, booleans as `bool`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain, islice
from typing import Any

from django.db import connection, models


ROWS_PER_STATEMENT = 100


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]],
                *, batch: int = 50_000, per_statement: int = 1, pieces: int = 1) -> int:
    """Inserts rows into the model's table; returns how many. Column names are database columns.
    `per_statement` (SQLite): up to that many rows in one INSERT statement (at most
    ROWS_PER_STATEMENT), for the largest inserts — SQLite ends each statement's run by updating
    the table's AUTOINCREMENT counter and resetting the program, once per row with one row each
    (20–40 % of the CPU of inserting 71.279 payroll lines in a bare test); a batch not a multiple
    of it takes one more statement, so the number of queries may then depend on the size.
    `pieces`: each row comes as that many sequences in a row of `rows`, joined here (a payroll's
    lines: `(payroll id,)`, then the rest — the same tuple for all of them, not a new row each)."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper: its errors made Django's here
            with connection.wrap_database_errors, raw.copy(
                    f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                if pieces == 1:
                    for row in iterator:
                        copy.write_row(row)
                        count += 1
                    return count
                while piece := list(islice(iterator, pieces)):
                    copy.write_row(tuple(chain.from_iterable(piece)))
                    count += 1
            return count
        params = connection.features.max_query_params or 999
        per = max(1, min(per_statement, ROWS_PER_STATEMENT, params // len(columns)))
        one = f"({', '.join(['%s'] * len(columns))})"
        head = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES "
        sql = head + ", ".join([one] * per)
        flat = chain.from_iterable
        while chunk := list(islice(iterator, batch * pieces)):
            if per == 1 and pieces == 1:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                continue
            step = per * pieces
            whole = len(chunk) - len(chunk) % step
            if whole:
                cursor.executemany(sql, [list(flat(chunk[i:i + step])) for i in range(0, whole, step)])
            if whole < len(chunk):
                cursor.execute(head + ", ".join([one] * ((len(chunk) - whole) // pieces)), list(flat(chunk[whole:])))
            count += len(chunk) // pieces
    return count


def next_ids(model: type[models.Model], count: int) -> range:
    """Primary keys for rows about to be inserted by `insert_rows` (the caller holds the write lock,
    e.g. inside a transaction that began by writing to the table). On PostgreSQL the sequence
    is advanced past them so later ORM inserts don't collide."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = int(cursor.fetchone()[0]) + 1
        if connection.vendor == "postgresql" and count:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, start + count - 1])
    return range(start, start + count)
