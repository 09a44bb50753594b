"""Shared metadata helpers: column schemas from the warehouse specs, markdown previews, checks."""

from collections.abc import Sequence
from typing import Any

import dagster as dg
import polars as pl

from jobland_pipeline.warehouse import TABLES


def column_schema(table: str) -> dg.TableSchema:
    spec = TABLES[table]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(name, str(dtype), description=desc) for name, (dtype, desc) in spec.columns.items()
        ]
    )


def definition_metadata(table: str) -> dict[str, Any]:
    return {"dagster/column_schema": column_schema(table), "warehouse_table": table}


def _cell(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value[:4]) + (" …" if len(value) > 4 else "")
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text[:80] + ("…" if len(text) > 80 else "")


def preview(df: pl.DataFrame, columns: Sequence[str], limit: int = 10) -> dg.MetadataValue:
    """A markdown table of the first rows, for the asset's page in the UI."""
    cols = [c for c in columns if c in df.columns]
    if df.is_empty():
        return dg.MetadataValue.md("_no rows_")
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.select(cols).head(limit).iter_rows(named=True):
        lines.append("| " + " | ".join(_cell(row[c]) for c in cols) + " |")
    if df.height > limit:
        lines.append(f"\n_{df.height - limit} more rows_")
    return dg.MetadataValue.md("\n".join(lines))


def check(
    name: str, passed: bool, description: str, *, warn: bool = False, **metadata: Any
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=name,
        passed=bool(passed),
        severity=dg.AssetCheckSeverity.WARN if warn else dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata=metadata,
    )


def spec(asset: str, name: str, description: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name=name, asset=asset, description=description)


def record_llm_calls(engine: Any, *, asset: str, partition: str, sink: list[dict[str, object]]) -> None:
    """Move the engine's pending LLM ledger rows into ``sink``, labelled with asset and partition."""
    sink.extend({**row, "asset": asset, "partition": partition} for row in engine.drain_calls())


def write_llm_ledger(store: Any, rows: list[dict[str, object]]) -> dict[str, Any]:
    """Append the rows to ``llm_calls``; return the sums for the asset metadata."""
    if rows:
        from datetime import UTC, datetime

        store.append("llm_calls", rows, group=datetime.now(UTC).date().isoformat())
    df = store.conform("llm_calls", rows)
    return {
        "llm_calls": int(df.filter(~pl.col("cache_hit").fill_null(False)).height),
        "llm_cache_hits": int(df["cache_hit"].fill_null(False).sum()),
        "llm_input_tokens": int(df["input_tokens"].fill_null(0).sum()),
        "llm_output_tokens": int(df["output_tokens"].fill_null(0).sum()),
        "llm_cost_usd": round(float(df["cost_usd"].fill_null(0.0).sum()), 6),
        "llm_errors": int(df.filter(pl.col("status").is_in(["error", "invalid", "circuit_open"])).height),
    }
