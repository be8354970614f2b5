"""Figures registry, dashboard and report documents (issue 6)."""
