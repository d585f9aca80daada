"""The hub's content engine: collections, vocabularies, validation and page data.

The engine does not import MkDocs; `hub.mkdocs_adapter` is one front end over it.
"""
