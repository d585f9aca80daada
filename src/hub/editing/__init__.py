"""For the people who write: the web editor's configuration, hub new, the kintone import and the editors' guide."""
