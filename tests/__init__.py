"""Interlude's tests; a package so that `python -m tests.regenerate_golden` works."""
