"""Pupil page section: the consent ledger (filled in below)."""
