"""Discipline decisions on members (minimal record used by badges; inspection issue extends it)."""
