"""The three checks, as functions from what is distributed and the
settings to Findings: the hooks, `check` and `init` all render these."""
