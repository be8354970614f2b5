"""Party membership badges: who reaches a tier at the next occasion, awards (issue 5)."""
