from __future__ import annotations

from pathlib import Path

import dagster as dg

from jobland_pipeline.warehouse import Warehouse
from resources.settings import setting


class WarehouseResource(dg.ConfigurableResource):
    """Analyst outputs: Parquet files per partition plus a DuckDB file of views over them."""

    root: str = setting(
        "JOBLAND_WAREHOUSE_DIR", "{home}/warehouse", "Parquet files, one per table and partition."
    )
    duckdb_path: str = setting(
        "JOBLAND_DUCKDB_PATH", "{home}/jobland.duckdb", "DuckDB file with one view per warehouse table."
    )

    @property
    def store(self) -> Warehouse:
        return Warehouse(Path(self.root), Path(self.duckdb_path))
