"""Meeting pages (built in the next step)."""
