"""Hot reads compiled to SQL once per process.

Building and compiling a filtered query costs the ORM about 0.8 ms of CPU; SQLite and PostgreSQL answer the same
query in a twentieth of that. The few reads that every write request makes (its token, its memberships, the paper
it locks, the duplicate check) are built once with stand-in values and compiled; each stand-in must then stand in
the SQL's parameters exactly once, so that the call's values can take their places. Rows become what the ORM would
give: model instances (`Model.from_db`, through the fields' converters, with one level of `select_related` in
place), or plain rows for `values_list`. A query whose parameters cannot be told apart this way is left to the
ORM on every call. Stand-ins must be values the ORM takes as they are: integers within the database's range
(2_147_000_001, …), strings no one types ("\\x00…").
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable


class _Part(NamedTuple):
    """One model of a row: its class, the row's positions of its columns, their attribute names, and the foreign key
    it is reached by (None for the queryset's own model)."""

    model: type[Model]
    positions: list[int]
    attnames: list[str]
    via: Any


class _Compiled(NamedTuple):
    sql: str
    slots: list[int | None]  # per SQL parameter: which argument of the call, or None for the query's own constant
    wrappers: list[type | None]  # per SQL parameter: the type the driver wants the call's value in, if not its own
    constants: list[Any]
    converters: list[tuple[int, list, Any]]  # (position, converters, expression), as the ORM applies them
    parts: list[_Part] | None  # None: plain rows (values_list)


def _parts(compiler) -> list[_Part]:
    def part(info: dict, via) -> _Part:
        positions = list(info["select_fields"])
        return _Part(info["model"], positions, [compiler.select[i][0].target.attname for i in positions], via)

    main = compiler.klass_info
    related = main.get("related_klass_infos", [])
    if any(info.get("related_klass_infos") or info.get("reverse") for info in related):
        raise ValueError("only one level of forward select_related is read here")
    return [part(main, None)] + [part(info, info["field"]) for info in related]


class Precompiled:
    """`build(*values)` → a QuerySet; calling this with values runs the same query with them."""

    def __init__(self, build: Callable[..., QuerySet], *stand_ins: Any):
        assert len(set(stand_ins)) == len(stand_ins), "the stand-ins must differ from one another"
        self.build, self.stand_ins = build, stand_ins
        self.database: str | None = None  # set by the first call, which compiles
        self.compiled: _Compiled | None = None  # None after the first call: the ORM runs every call

    def _compile(self, queryset: QuerySet) -> _Compiled | None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):  # the ORM decided without SQL for these stand-ins: it must decide
            return None
        slots, wrappers = [], []
        for param in params:
            # A driver may type a value by a subclass (psycopg's Int4 for an integer column): each call's value is
            # wrapped the same way.
            found = [
                i
                for i, stand_in in enumerate(self.stand_ins)
                if isinstance(param, type(stand_in)) and param == stand_in
            ]
            slots.append(found[0] if found else None)
            wrappers.append(type(param) if found and type(param) is not type(self.stand_ins[found[0]]) else None)
        if sorted(slot for slot in slots if slot is not None) != list(range(len(self.stand_ins))):
            return None  # a value was transformed or repeated on its way into the SQL: the ORM runs it
        expressions = [column for column, _, _ in compiler.select]
        converters = [(i, convs, expression) for i, (convs, expression) in compiler.get_converters(expressions).items()]
        is_models = queryset._iterable_class is ModelIterable
        return _Compiled(sql, slots, wrappers, list(params), converters, _parts(compiler) if is_models else None)

    def __call__(self, *values: Any) -> list:
        if len(values) != len(self.stand_ins):
            raise TypeError(f"{len(self.stand_ins)} values expected, {len(values)} given")
        if self.database is None:
            stand_in_query = self.build(*self.stand_ins)
            self.compiled = self._compile(stand_in_query)
            self.database = stand_in_query.db
        compiled, database = self.compiled, self.database
        if compiled is None:
            return list(self.build(*values))
        params = [
            constant if slot is None else values[slot] if wrapper is None else wrapper(values[slot])
            for slot, wrapper, constant in zip(compiled.slots, compiled.wrappers, compiled.constants, strict=True)
        ]
        connection = connections[database]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._converted(row, compiled.converters, connection) for row in rows]
        if compiled.parts is None:
            return [tuple(row) for row in rows]
        return [self._instance(row, compiled.parts, database) for row in rows]

    @staticmethod
    def _converted(row, converters, connection) -> list:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row

    @staticmethod
    def _instance(row, parts: list[_Part], database: str) -> Model:
        main, *related = parts
        instance = main.model.from_db(database, main.attnames, [row[i] for i in main.positions])
        for part in related:
            values = [row[i] for i in part.positions]
            target = None if values[0] is None else part.model.from_db(database, part.attnames, values)
            part.via.set_cached_value(instance, target)
        return instance
