"""Dagster resources: thin ConfigurableResource wrappers around the core's engines and stores."""

from resources.engine import EngineResource
from resources.files import PackageStoreResource
from resources.inbox import LocalInboxResource
from resources.mail import OutboxMailerResource
from resources.search import LocalPostingsResource
from resources.warehouse import WarehouseResource

__all__ = [
    "EngineResource",
    "LocalInboxResource",
    "LocalPostingsResource",
    "OutboxMailerResource",
    "PackageStoreResource",
    "WarehouseResource",
]
