"""Every collection the hub knows, by name."""

from hub.collections.cafes import CAFES
from hub.collections.cases import CASES
from hub.collections.data import DATA
from hub.collections.events import EVENTS
from hub.collections.groups import GROUPS
from hub.collections.talents import TALENTS
from hub.collections.volunteer import VOLUNTEER
from hub.core.collection import Collection

COLLECTIONS: dict[str, Collection] = {collection.name: collection for collection in (
    CASES, EVENTS, TALENTS, CAFES, GROUPS, VOLUNTEER, DATA,
)}
