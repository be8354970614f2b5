"""Demo data of this app, loaded by `manage.py seed_demo` after the meetings."""


def load(plan) -> str:
    """Write this app's demo rows for `plan` (core.demo.generator.Plan); return a report line."""
    return ""
