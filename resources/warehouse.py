from __future__ import annotations

import dagster as dg

from jobland_pipeline.warehouse import Warehouse
from jobland_pipeline.warehouse.store import s3_url
from resources.files import S3_ENDPOINT_HELP, S3_REGION_HELP, s3_client
from resources.settings import setting


class WarehouseResource(dg.ConfigurableResource):
    """Analyst outputs: Parquet files per partition plus a DuckDB file of views over them.

    The Parquet files live in a local folder, or under ``s3://bucket/prefix`` so that Celery workers
    on different machines share them (endpoint, region and credentials as the S3 inbox).
    """

    root: str = setting(
        "JOBLAND_WAREHOUSE_DIR",
        "{home}/warehouse",
        "Parquet files, one per table and partition: a folder, or s3://bucket/prefix (shared by workers).",
    )
    duckdb_path: str = setting(
        "JOBLAND_DUCKDB_PATH", "{home}/jobland.duckdb", "DuckDB file with one view per warehouse table."
    )
    endpoint_url: str | None = setting("JOBLAND_S3_ENDPOINT_URL", None, S3_ENDPOINT_HELP)
    region_name: str | None = setting("JOBLAND_S3_REGION", None, S3_REGION_HELP)

    @property
    def store(self) -> Warehouse:
        client = s3_client(self.endpoint_url, self.region_name) if s3_url(self.root) else None
        return Warehouse(self.root, self.duckdb_path, s3_client=client)
