"""The line kit: what a business line declares, and the one registry the
kernel reads it from (docs/adding-a-line.md).

A line is a Django app whose ``apps.py`` subclasses ``kit.line.LineConfig``
and whose ``line.py`` holds one ``Line``: its case types (workflow, clocks,
documents, record model), who uses it, its roles and org kinds, KPIs and
report sentences, ledgers and list pages, menu, public forms, demo data,
dictionary sets and audit labels. The kernel (cases, stats, ledgers, portal,
menu, audit) reads all of it from ``kit.registry`` and never names a line.

This package is low-level: it imports nothing of sifa but ``sifa.common``,
so both the kernel and the lines may import it (import-linter checks this).
"""
