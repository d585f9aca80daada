"""Every collection the hub knows, by name."""

from hub.collection import Collection
from hub.collections.cases import CASES

COLLECTIONS: dict[str, Collection] = {collection.name: collection for collection in (CASES,)}
