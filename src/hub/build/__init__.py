"""The MkDocs side: the adapter over build events, the atomic output folder, background work and kept files."""
