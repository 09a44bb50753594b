"""Tables of typed records: one pydantic row model is a table's schema, its column docs and its conversion.

Why: a business object used to live in four places (its model, a table spec, a row dict built in one
asset and a row read back in another), and the read-back lost fields. Here the row model *is* the
table: its fields (with their ``description``) are the columns, :meth:`Table.frame` writes records to a
polars frame with exactly the table's schema, and :meth:`Table.records` reads them back into the same
models, losslessly (nested models, dicts and lists of models travel as JSON text columns).

This module is a leaf: it knows polars and pydantic, nothing of the domain.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cached_property
from typing import Any, Generic, Literal, Protocol, TypeVar, Union, get_args, get_origin

import polars as pl
from pydantic import BaseModel

__all__ = ["JSON_COLUMN", "Table", "TableStore", "dtype_of"]

R = TypeVar("R", bound=BaseModel)

DATETIME = pl.Datetime("us", "UTC")
JSON_COLUMN = pl.String  # nested values are stored as JSON text: any engine can read them
_SCALARS: dict[type, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    date: pl.Date(),
    datetime: DATETIME,
}


def _strip_optional(annotation: Any) -> Any:
    """``X | None`` -> ``X``; other unions are kept as they are."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_json(annotation: Any) -> bool:
    """Values polars cannot hold as a flat typed column: stored as JSON text."""
    annotation = _strip_optional(annotation)
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return _strip_optional(item) not in _SCALARS
    if origin in (dict, Mapping) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return True
    if origin in (Union, types.UnionType):
        return not all(_is_literal_or_scalar(a) for a in get_args(annotation))
    return annotation is Any or annotation is dict


def _is_literal_or_scalar(annotation: Any) -> bool:
    return get_origin(annotation) is Literal or annotation in _SCALARS or annotation is type(None)


def dtype_of(annotation: Any) -> pl.DataType:
    """The polars type of a row-model field (a scalar, a list of scalars, a literal, else JSON text)."""
    if _is_json(annotation):
        return JSON_COLUMN()
    annotation = _strip_optional(annotation)
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        return pl.List(_SCALARS[_strip_optional(item)])
    if origin is Literal or origin in (Union, types.UnionType):
        return pl.String()  # "High" | "Medium" | "Low"; True | "hybrid" is written as text
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no column type for {annotation!r}")


class Table(Generic[R]):
    """A warehouse table whose rows are ``row`` models.

    ``name`` is what analysts query; ``description`` documents the table (DuckDB comment, Dagster UI).
    """

    def __init__(self, name: str, row: type[R], description: str) -> None:
        self.name = name
        self.row = row
        self.description = description

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {self.row.__name__})"

    @cached_property
    def columns(self) -> dict[str, tuple[pl.DataType, str]]:
        """Column name -> (polars type, description), in the row model's field order."""
        out: dict[str, tuple[pl.DataType, str]] = {}
        for name, field in self.row.model_fields.items():
            if not field.description:
                raise TypeError(f"{self.row.__name__}.{name}: a table column needs a description")
            out[name] = (dtype_of(field.annotation), field.description)
        return out

    @cached_property
    def schema(self) -> pl.Schema:
        return pl.Schema({name: dtype for name, (dtype, _) in self.columns.items()})

    @cached_property
    def _json_fields(self) -> frozenset[str]:
        return frozenset(n for n, f in self.row.model_fields.items() if _is_json(f.annotation))

    @cached_property
    def _text_fields(self) -> frozenset[str]:
        """Union fields stored as text (``True | "hybrid"``): their value is written with ``str``."""
        return frozenset(
            n
            for n, f in self.row.model_fields.items()
            if n not in self._json_fields
            and get_origin(_strip_optional(f.annotation)) in (Union, types.UnionType)
        )

    def _cell(self, name: str, value: Any) -> Any:
        if name in self._json_fields:
            return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
        if name in self._text_fields and value is not None:
            return str(value).lower() if isinstance(value, bool) else str(value)
        return value

    def frame(self, records: Iterable[R]) -> pl.DataFrame:
        """Records -> a frame with exactly this table's schema (an empty frame keeps the schema)."""
        rows = []
        for record in records:
            if not isinstance(record, self.row):
                raise TypeError(f"{self.name}: expected {self.row.__name__}, got {type(record).__name__}")
            dumped = record.model_dump(mode="python")
            json_ready = (
                record.model_dump(mode="json", include=set(self._json_fields)) if self._json_fields else {}
            )
            rows.append({k: self._cell(k, json_ready.get(k, v)) for k, v in dumped.items()})
        return (
            pl.DataFrame(rows, schema=self.schema, orient="row") if rows else pl.DataFrame(schema=self.schema)
        )

    def records(self, df: pl.DataFrame) -> list[R]:
        """A frame of this table (columns by name; missing ones take the model's defaults) -> records."""
        present = [c for c in self.columns if c in df.columns]
        out: list[R] = []
        for row in df.select(present).iter_rows(named=True):
            values = {
                k: (json.loads(v) if k in self._json_fields and isinstance(v, str) else v)
                for k, v in row.items()
                if v is not None or k not in self._json_fields
            }
            out.append(self.row.model_validate(values))
        return out


class TableStore(Protocol):
    """What a core stage needs from storage: read a table's records, append records to a ledger.

    The warehouse implements it; core packages depend on this port, never on the warehouse.
    """

    def read_records(self, table: Table[R], partition_keys: Iterable[str] | None = None) -> list[R]: ...

    def append_records(self, table: Table[R], records: Iterable[R], *, group: str) -> pl.DataFrame: ...
