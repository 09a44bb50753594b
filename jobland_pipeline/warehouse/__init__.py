"""Outputs for analysts: Parquet per partition, published as DuckDB views."""

from jobland_pipeline.warehouse.schemas import TABLES, TableSpec
from jobland_pipeline.warehouse.store import Warehouse

__all__ = ["TABLES", "TableSpec", "Warehouse"]
