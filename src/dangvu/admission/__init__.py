"""New-member admission: candidates through their dated steps, yearly targets (issue 5)."""
