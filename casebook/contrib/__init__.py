"""The contributor's wing: turning an article a contributor has into a case record (scripts/import_source.py)."""
