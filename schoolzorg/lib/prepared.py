"""Reads whose SQL is built once per process: the hot pages skip Django's query compiler.

Building a QuerySet and compiling it to SQL costs Django 0.2–0.5 ms of Python per query, more
than PostgreSQL needs to answer a lookup by key. A page that asks a dozen such questions on every
request spends most of its time there (ADR 0504, docs/benchmarks.md). A read declared
with :func:`prepared` is built once with stand-in values, compiled, and from then on only its
parameters change::

    @prepared
    def _consents(pupil_id: int) -> QuerySet[Consent]:
        return Consent.objects.filter(pupil_id=pupil_id).order_by("-given_on")

    rows = _consents(pupil_id=pupil.pk)  # a list, evaluated

Arguments that are ``int``, ``str``, ``date`` or ``datetime`` become parameters of the SQL;
every other argument (``None``, booleans, tuples, …), and any named in ``shape=`` (a row limit,
say: ``@prepared(shape=("limit",))``), is part of the query's *shape*: each distinct value gets
its own compiled SQL; ``key=`` adds a part of the cache key computed from the arguments and
not passed to the builder (``pupils.access.prepared_for_user`` keys a read by the user's access
rules that way). The builder must therefore give SQL whose text depends only on the shape
arguments (and the key) — it may not branch on a parameter's value, and a
parameter must reach the database as itself (``pupil_id=x``, not ``name__icontains=x``). A
builder that breaks this is refused when it is first compiled where that can be seen. A value
the builder looks up itself (a content type id) is frozen into the SQL: pass it as an argument
(a tuple, so a shape) instead; tests that flush the database catch the frozen kind. With
``SCHOOLZORG_VERIFY_PREPARED`` (on whenever DEBUG is, so in every test) each call is also built
the ordinary way and compared, so a mistake fails the test suite rather than reading wrong rows.

The result is a list, never a QuerySet: a QuerySet made from the stand-in values must not
escape. ``prefetch_related`` works (its own queries are ordinary ones).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, cast, overload

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

type Value = int | str | dt.date | dt.datetime
type Adapter = Callable[[Any], Any]

# Stand-in values: ordinary enough to pass every field's conversion, odd enough that no query
# holds them as a literal. Integers stay inside a 32-bit column's range (Django turns a lookup
# outside a column's range into an empty result, which could not be compiled once for all).
_INT_BASE = -2_046_000_000
# Django answers a lookup outside a column's range with no rows (or no filter); bound directly,
# such a value would reach the database and fail there. Values outside the smallest common range
# (32 bits) therefore take the ordinary path: a huge id from a URL or a form is no error.
_INT_RANGE = range(-(2**31), 2**31)
_DATE_BASE = dt.date(1901, 2, 3)
_DATETIME_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


class NotPreparable(Exception):
    """The builder's SQL depends on more than its shape arguments (a programming error)."""


def _is_parameter(value: object) -> bool:
    return isinstance(value, int | str | dt.date) and not isinstance(value, bool)


def _stand_in(value: Value, index: int) -> Value:
    if isinstance(value, dt.datetime):
        return _DATETIME_BASE + dt.timedelta(microseconds=index + 1)
    if isinstance(value, dt.date):
        return _DATE_BASE + dt.timedelta(days=index + 1)
    if isinstance(value, int):
        return _INT_BASE - index
    return f"\u2063sz-prepared-{index}\u2063"


@dataclass(frozen=True, slots=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    # (position in params, argument name, how the value was turned into a parameter)
    slots: tuple[tuple[int, str, Adapter], ...]
    # The columns' converters (dates on SQLite, …), worked out on the first run: Django works
    # them out again for every column of every run (~0.5 ms of a pupil page's 20 reads).
    converters: dict[tuple[int, ...], Any] = field(default_factory=dict, compare=False)

    def bind(self, values: dict[str, Any]) -> tuple[Any, ...]:
        params = list(self.params)
        for position, name, adapt in self.slots:
            params[position] = adapt(values[name])
        return tuple(params)

    def run(self, params: tuple[Any, ...]) -> list[Any]:
        if not self.sql:  # the shape selects nothing (`pk__in=[]`): no query, as Django does
            return []
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        work_out = compiler.get_converters

        def get_converters(expressions: list[Any]) -> Any:
            key = tuple(map(id, expressions))  # the compiled query's own columns
            if key not in self.converters:
                self.converters[key] = work_out(expressions)
            return self.converters[key]

        compiler.get_converters = get_converters  # type: ignore[method-assign]
        queryset = self.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


def _adapters(alias: str, stand_in: Value) -> list[Adapter]:
    ops = connections[alias].ops
    found: list[Adapter] = [lambda value: value]
    if isinstance(stand_in, dt.datetime):
        found.append(ops.adapt_datetimefield_value)
    elif isinstance(stand_in, dt.date):
        found.append(ops.adapt_datefield_value)
    found.append(str)
    return found


def _compile(queryset: QuerySet[Any], stand_ins: dict[str, Value], name: str) -> _Compiled:
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = _sql(compiler)  # also sets up what running it needs (select, klass_info)
    if not sql:
        return _Compiled(queryset, compiler, "", (), ())
    wanted: dict[Any, tuple[str, Adapter]] = {}
    for arg, stand_in in stand_ins.items():
        for adapt in _adapters(alias, stand_in):
            wanted.setdefault(adapt(stand_in), (arg, adapt))
    slots = []
    for position, param in enumerate(params):
        try:
            hit = wanted.get(param)
        except TypeError:  # an unhashable parameter (a list, a JSON value) is a constant
            hit = None
        if hit is not None:
            slots.append((position, hit[0], hit[1]))
    missing = set(stand_ins) - {arg for _, arg, _ in slots}
    if missing:
        raise NotPreparable(
            f"{name}: {', '.join(sorted(missing))} did not reach the database as a parameter "
            "(transformed, inlined or unused); pass it as a shape argument instead"
        )
    for stand_in in stand_ins.values():
        if str(stand_in) in sql:
            raise NotPreparable(f"{name}: a parameter was written into the SQL text")
    return _Compiled(queryset, compiler, sql, tuple(params), tuple(slots))


# Compiled shapes kept per read. A read keyed by a person's access rules has a shape per person;
# the oldest is dropped beyond this (a dropped shape is compiled again when it returns).
MAX_SHAPES = 256


class PreparedRead[M: Model]:
    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        shape: tuple[str, ...] = (),
        key: Callable[[dict[str, Any]], Hashable] | None = None,
    ) -> None:
        self.build = build
        self.shape = frozenset(shape)
        # More of the cache key, from the arguments, not passed to the builder (an access key).
        self.key = key
        self.name = getattr(build, "__qualname__", repr(build))
        self._compiled: dict[Hashable, _Compiled] = {}
        functools.update_wrapper(self, build)

    def __call__(self, **arguments: Any) -> list[M]:
        values = {k: v for k, v in arguments.items() if k not in self.shape and _is_parameter(v)}
        if any(type(v) is int and v not in _INT_RANGE for v in values.values()):
            return list(self.build(**arguments))
        shape = {k: v for k, v in arguments.items() if k not in values}
        key = (
            tuple(sorted((k, type(v).__name__) for k, v in values.items())),
            tuple(sorted(shape.items(), key=lambda item: item[0])),
            self.key(arguments) if self.key is not None else None,
        )
        compiled = self._compiled.get(key)
        if compiled is None:
            stand_ins = {k: _stand_in(v, i) for i, (k, v) in enumerate(sorted(values.items()))}
            try:
                queryset = self.build(**stand_ins, **shape)
            except (TypeError, ValueError) as error:  # e.g. a slice by a parameter
                raise NotPreparable(f"{self.name}: cannot be built with stand-in values") from error
            compiled = _compile(queryset, stand_ins, self.name)
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.pop(next(iter(self._compiled)), None)
            self._compiled[key] = compiled
        params = compiled.bind(values)
        if _verify():
            _check(self.name, compiled, params, self.build(**arguments))
        return cast(list[M], compiled.run(params))

    def first(self, **arguments: Any) -> M | None:
        """The first row, or None; the builder limits the query itself (``[:1]``)."""
        rows = self(**arguments)
        return rows[0] if rows else None


def _verify() -> bool:
    return bool(getattr(settings, "SCHOOLZORG_VERIFY_PREPARED", False))


def _sql(compiler: SQLCompiler) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters Django would send; empty when the query can match nothing."""
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return "", ()
    return sql, tuple(params)


def _check(name: str, compiled: _Compiled, params: tuple[Any, ...], probe: QuerySet[Any]) -> None:
    expected_sql, expected_params = _sql(probe.query.get_compiler(using=probe.db))
    same = probe.db == compiled.queryset.db and compiled.sql == expected_sql
    if not same or _comparable(params) != _comparable(expected_params):
        raise NotPreparable(
            f"{name}: with these values the query differs from the one compiled once; "
            "make the differing argument a shape argument (not int/str/date)"
        )


def _comparable(params: tuple[Any, ...] | list[Any]) -> list[Any]:
    """Parameters as values: a driver's wrapper (psycopg's `Jsonb(True)`) compares by identity."""
    return [(type(p), p.obj) if hasattr(p, "obj") and hasattr(p, "dumps") else p for p in params]


@overload
def prepared[M: Model](build: Callable[..., QuerySet[M]]) -> PreparedRead[M]: ...
@overload
def prepared[M: Model](
    *,
    shape: tuple[str, ...] = (),
    key: Callable[[dict[str, Any]], Hashable] | None = None,
) -> Callable[[Callable[..., QuerySet[M]]], PreparedRead[M]]: ...
def prepared[M: Model](
    build: Callable[..., QuerySet[M]] | None = None,
    *,
    shape: tuple[str, ...] = (),
    key: Callable[[dict[str, Any]], Hashable] | None = None,
) -> PreparedRead[M] | Callable[[Callable[..., QuerySet[M]]], PreparedRead[M]]:
    """Declare a read to compile once per process (see the module's docstring)."""
    if build is None:
        return lambda build: PreparedRead(build, shape, key)
    return PreparedRead(build, shape, key)
