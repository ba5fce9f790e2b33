"""The data build: curation tables and sanitized raw inputs in ``data/curation/`` -> the pairing database.

``python -m pairing_assistance.build`` rewrites ``data/regions.csv``, ``data/places.csv``,
``data/pairings.csv`` and ``data/aid_figures.csv`` from files in the repository only (standard library,
no network); ``--check`` rebuilds into a temporary folder and compares. Steps, each reading and writing
tables: ``sources`` (hosts, source table), ``codes`` (code list, name corrections, splits), ``pairs``
(notes rows -> pairing rows), ``aid`` (aid figures), ``places`` (crosswalk and regions), ``finish``
(names at the time, ids, successors, checks). ``import_notes`` refreshes the sanitized raw inputs from
the research notes and cpca (maintainers only).
"""
