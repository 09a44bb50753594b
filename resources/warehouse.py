from __future__ import annotations

from pathlib import Path

import dagster as dg

from jobland_pipeline.warehouse import Warehouse


class WarehouseResource(dg.ConfigurableResource):
    """Analyst outputs: Parquet files per partition plus a DuckDB file of views over them."""

    root: str = "var/warehouse"
    duckdb_path: str = "var/jobland.duckdb"

    @property
    def store(self) -> Warehouse:
        return Warehouse(Path(self.root), Path(self.duckdb_path))
