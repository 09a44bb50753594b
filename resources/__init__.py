"""Dagster resources: one typed ConfigurableResource per external system, configured from settings.

``RESOURCE_TYPES`` lists every resource class whose fields are settings; ``SETTINGS`` is the table
they make (README 'Settings', ``jobland settings``).
"""

from resources.engine import LLMResource, MatchingResource
from resources.execution import ExecutionResource
from resources.files import PackageStoreResource
from resources.inbox import InboxResource, LocalInboxResource, S3ClientResource, S3InboxResource
from resources.mail import MailerResource
from resources.reader import CvReaderResource
from resources.search import SearchEnginesResource
from resources.settings import Setting, settings_of
from resources.warehouse import WarehouseResource
from resources.webhooks import WebhookResource

RESOURCE_TYPES = (
    LocalInboxResource,
    S3InboxResource,
    S3ClientResource,
    CvReaderResource,
    WarehouseResource,
    PackageStoreResource,
    MailerResource,
    LLMResource,
    MatchingResource,
    SearchEnginesResource,
    ExecutionResource,
    WebhookResource,
)
SETTINGS: list[Setting] = settings_of(RESOURCE_TYPES)

__all__ = [
    "RESOURCE_TYPES",
    "SETTINGS",
    "CvReaderResource",
    "ExecutionResource",
    "InboxResource",
    "LLMResource",
    "LocalInboxResource",
    "MailerResource",
    "MatchingResource",
    "PackageStoreResource",
    "S3ClientResource",
    "S3InboxResource",
    "SearchEnginesResource",
    "WarehouseResource",
    "WebhookResource",
]
