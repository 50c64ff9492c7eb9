"""Importers for the real registries (DUO, CBS, OCW): each file all-or-nothing, in one transaction.

A file with any bad row is refused as a whole, with the line number and reason of every bad row;
re-importing the same file changes nothing. See `data/registries/README.md` for the sources.
"""
