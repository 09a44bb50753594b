"""Shared metadata helpers: column schemas from the warehouse specs, markdown previews, checks."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import polars as pl

from jobland_pipeline.llm.budget import OVER_BUDGET
from jobland_pipeline.llm.records import LLM_CALLS, LlmCallRow
from jobland_pipeline.warehouse import TABLES, Warehouse


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


def partition_metadata(df: pl.DataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """One partition's own figures (a run over many partitions also reports its totals separately)."""
    return {"dagster/row_count": df.height, "preview": preview(df, columns, limit=5)}


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


def record_llm_calls(engine: Any, *, asset: str, partition: str, sink: list[LlmCallRow]) -> None:
    """Move the engine's pending LLM ledger rows into ``sink``, labelled with asset and partition."""
    user = partition.split("::", 1)[0]  # a users partition is the user; a searches one starts with it
    sink.extend(
        row.model_copy(update={"asset": asset, "partition": partition, "user_id": row.user_id or user})
        for row in engine.drain_calls()
    )


def write_llm_ledger(store: Warehouse, rows: list[LlmCallRow]) -> dict[str, float]:
    """Append the rows to ``llm_calls``; return the sums for the asset metadata."""
    store.append_records(LLM_CALLS, rows, group=datetime.now(UTC).date().isoformat())
    calls = [r for r in rows if not r.cache_hit and r.status != OVER_BUDGET]
    return {
        "llm_calls": len(calls),
        "llm_cache_hits": sum(1 for r in rows if r.cache_hit),
        "llm_input_tokens": sum(r.input_tokens or 0 for r in rows),
        "llm_output_tokens": sum(r.output_tokens or 0 for r in rows),
        "llm_cost_usd": round(sum(r.cost_usd or 0.0 for r in rows), 6),
        "llm_errors": sum(1 for r in rows if r.status in ("error", "invalid", "circuit_open")),
        **_over_budget(rows),
    }


def _over_budget(rows: list[LlmCallRow]) -> dict[str, float]:
    """Calls a budget sent to the offline engine instead (see ``jobland_pipeline.llm.budget``)."""
    return {"llm_over_budget": sum(1 for r in rows if r.status == OVER_BUDGET)}
