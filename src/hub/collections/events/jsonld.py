"""schema.org `Event` data for search engines, from the same occurrences the page shows.

Returns a plain dict; the template serialises it into a `<script type="application/ld+json">`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.collections.events.occurrences import Occurrence, Place, place_of
from hub.core.clock import TOKYO
from hub.core.collection import Entry

SCHEMA = "https://schema.org/"
EVENT_STATUS = {
    "scheduled": "EventScheduled",
    "full": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "moved-online": "EventMovedOnline",
}
ATTENDANCE_MODE = {"offline": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
                   "mixed": "MixedEventAttendanceMode"}
AVAILABILITY = {"full": "SoldOut", "cancelled": "Discontinued"}


def iso(moment: datetime) -> str:
    """The instant on the Tokyo clock with its offset, as the page's <time datetime> shows it."""
    return moment.astimezone(TOKYO).isoformat()


def event_json_ld(entry: Entry, sessions: Sequence[Occurrence], page_url: str,
                  organizers: Sequence[Any]) -> dict[str, Any]:
    meta = entry.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": entry.title,
        "description": meta.summary,
        "url": page_url,
        "inLanguage": "ja",
        "startDate": iso(meta.start),
        "endDate": iso(meta.end),
        "eventStatus": SCHEMA + EVENT_STATUS[meta.status],
        **_where(place_of(meta), page_url),
        "organizer": [_organization(party) for party in organizers],
    }
    offers = _offers(entry, page_url)
    if offers:
        data["offers"] = offers
        if meta.registration.fee == 0:
            data["isAccessibleForFree"] = True
    if len(sessions) > 1:
        data["subEvent"] = [_session(item, page_url) for item in sessions]
    return data


def _where(place: Place, page_url: str) -> dict[str, Any]:
    locations = []
    if place.venue:
        locations.append(_venue(place.venue))
    if place.online:
        locations.append({"@type": "VirtualLocation", "url": place.online.url or page_url})
    return {"eventAttendanceMode": SCHEMA + ATTENDANCE_MODE[place.mode],
            "location": locations[0] if len(locations) == 1 else locations}


def _venue(venue: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Place", "name": venue.name}
    if venue.address:
        data["address"] = {"@type": "PostalAddress", "streetAddress": venue.address, "addressCountry": "JP"}
    if venue.url:
        data["url"] = venue.url
    return data


def _organization(party: Any) -> dict[str, Any]:
    data = {"@type": "Organization", "name": party.name}
    if party.url:
        data["url"] = party.url
    return data


def _offers(entry: Entry, page_url: str) -> dict[str, Any] | None:
    registration = entry.meta.registration
    if registration is None:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "url": registration.url or page_url,
                             "availability": SCHEMA + AVAILABILITY.get(entry.meta.status, "InStock")}
    if registration.fee is not None:
        offer.update(price=registration.fee, priceCurrency="JPY")
    if registration.deadline:
        offer["validThrough"] = iso(registration.deadline)
    return offer


def _session(item: Occurrence, page_url: str) -> dict[str, Any]:
    return {"@type": "Event", "name": item.full_title, "startDate": iso(item.start), "endDate": iso(item.end),
            "eventStatus": SCHEMA + EVENT_STATUS[item.status], **_where(item.place, page_url)}
