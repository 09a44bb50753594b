"""Dagster resources: thin ConfigurableResource wrappers around the core's engines and stores."""

from resources.engine import EngineResource
from resources.files import PackageStoreResource
from resources.inbox import InboxResource, LocalInboxResource, S3InboxResource, inbox_from_settings
from resources.mail import OutboxMailerResource
from resources.reader import CvReaderResource
from resources.search import SearchEnginesResource
from resources.warehouse import WarehouseResource

__all__ = [
    "CvReaderResource",
    "EngineResource",
    "InboxResource",
    "LocalInboxResource",
    "OutboxMailerResource",
    "PackageStoreResource",
    "S3InboxResource",
    "SearchEnginesResource",
    "WarehouseResource",
    "inbox_from_settings",
]
