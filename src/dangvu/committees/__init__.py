"""Committees and their seats, terms and congresses of each organisation (issue 5)."""
