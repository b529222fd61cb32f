"""``harness init``: the files of a new project, rendered from templates (pure: no writing)."""
