"""Weight recognition: pure functions of a file's bytes (a bounded
sample), its name and its siblings' names.  Nothing is loaded or run."""
