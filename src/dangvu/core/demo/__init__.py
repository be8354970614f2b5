"""Demo data for `make run`: a plausible provincial tree with ~5,000 fictional members.

generator.py builds a deterministic plan in memory, loader.py writes it, accounts.py makes one
demo account per role. Names and agencies are in names.py and agencies.py.
"""
