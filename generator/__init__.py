"""Interlude: a private journal for people in therapy, built as a static site."""

__version__ = "0.1.0"
