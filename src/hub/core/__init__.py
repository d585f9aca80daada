"""The types every part of the engine reads: problems, the clock, settings, fields, entries, vocabularies and outputs. Nothing here imports anything above it."""
