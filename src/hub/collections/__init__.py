"""Every collection the hub knows, by name."""

from hub.collection import Collection
from hub.collections.cafes import CAFES
from hub.collections.cases import CASES
from hub.collections.events import EVENTS
from hub.collections.talents import TALENTS

COLLECTIONS: dict[str, Collection] = {collection.name: collection for collection in (CASES, EVENTS, TALENTS, CAFES)}
