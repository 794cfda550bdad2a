"""The contributor's wing: turning an article a contributor has into a case record (scripts/import_source.py).

cleaning -> places, figures, measures -> proposals -> skeleton, report; importer.run joins them.
"""
