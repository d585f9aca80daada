"""Site-wide outputs made from content: the generator that runs every collection, feeds, calendars, and the helpers templates use."""
