"""Row models are their tables: schemas, descriptions and lossless round trips through Parquet."""

from __future__ import annotations

import types
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import polars as pl
import pytest
from pydantic import BaseModel, Field

from jobland_pipeline.records import Table, dtype_of
from jobland_pipeline.warehouse import TABLES, Warehouse


def _sample(annotation: Any, name: str) -> Any:
    """A non-default value of the field's type (so a dropped column cannot go unnoticed)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return _sample(next(a for a in get_args(annotation) if a is not type(None)), name)
    if origin is list:
        (item,) = get_args(annotation)
        return [_sample(item, name), _sample(item, name + "2")]
    if origin is dict:
        return {"title": 0.75, "lexical": 0.5}
    if origin is Literal:
        return get_args(annotation)[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.model_validate(
            {n: _sample(f.annotation, n) for n, f in annotation.model_fields.items()}
        )
    return {
        str: f"{name}-value",
        int: 7,
        float: 1.25,
        bool: True,
        date: date(2026, 11, 27),
        datetime: datetime(2026, 11, 27, 6, 30, tzinfo=UTC),
    }[annotation]


@pytest.mark.parametrize("table", list(TABLES.values()), ids=list(TABLES))
def test_every_table_round_trips_losslessly(table: Table[Any], tmp_path: Path) -> None:
    record = table.row.model_validate(
        {name: _sample(field.annotation, name) for name, field in table.row.model_fields.items()}
    )
    store = Warehouse(tmp_path / "wh", tmp_path / "x.duckdb")
    written = store.write_records(table, "user_a", [record])
    assert written.schema == table.schema and written.height == 1
    assert store.read_records(table, ["user_a"]) == [record]
    assert all(description for _, description in table.columns.values())


def test_nested_values_travel_as_json_and_come_back_typed(tmp_path: Path) -> None:
    class Inner(BaseModel):
        weight: float
        tags: list[str]

    class Row(BaseModel):
        key: str = Field(description="key")
        parts: dict[str, float] = Field(default_factory=dict, description="named parts")
        inner: Inner | None = Field(default=None, description="a nested model")
        items: list[Inner] = Field(default_factory=list, description="nested models")
        mode: bool | Literal["hybrid"] = Field(default=False, description="a bool or a word")

    table = Table("t", Row, "a test table")
    assert table.schema == pl.Schema(
        {"key": pl.String, "parts": pl.String, "inner": pl.String, "items": pl.String, "mode": pl.String}
    )
    rows = [
        Row(key="a", parts={"x": 0.5}, inner=Inner(weight=1.0, tags=["t"]), items=[Inner(weight=2, tags=[])]),
        Row(key="b", mode="hybrid"),
    ]
    frame = table.frame(rows)
    assert frame["mode"].to_list() == ["false", "hybrid"]
    assert table.records(frame) == rows


def test_a_column_without_a_description_is_refused() -> None:
    class Undocumented(BaseModel):
        key: str

    with pytest.raises(TypeError, match="needs a description"):
        _ = Table("u", Undocumented, "x").columns


def test_column_types() -> None:
    assert dtype_of(str | None) == pl.String()
    assert dtype_of(list[str]) == pl.List(pl.String)
    assert dtype_of(datetime) == pl.Datetime("us", "UTC")
    assert dtype_of(Literal["High", "Low"]) == pl.String()
