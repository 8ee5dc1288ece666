"""One family of errors, each shown to the person as a single line."""

from __future__ import annotations

from pathlib import Path


class InterludeError(Exception):
    """Anything Interlude reports to the person instead of a traceback."""

    exit_code = 2

    def show(self) -> str:
        """The one line printed on stderr."""
        return str(self)


class ConfigError(InterludeError):
    """journal.yaml is unusable; lists every problem at once."""

    def __init__(self, path: Path | str, problems: list[str], options: list[str] | None = None):
        self.path = str(path)
        self.problems = problems
        self.options = options or []  # problems with the folders given on the command line, not in the file
        parts = ([f"{self.path}: " + "; ".join(problems)] if problems else []) + self.options
        super().__init__("; ".join(parts))

    def __reduce__(self) -> tuple:
        """Survive pickling."""
        return (type(self), (self.path, self.problems, self.options))


class OutputError(InterludeError):
    """The output folder cannot be used or written."""


class TemplateProblem(InterludeError):
    """A template of the theme cannot be used (a syntax error, a name it asks for that does not exist)."""


class ShareError(InterludeError):
    """A share cannot be made as asked (nothing to share, a bad --since date)."""


class LockError(InterludeError):
    """A locked build cannot be made (no passphrase, a passphrase too short) or read back."""


class EntryError(InterludeError):
    """One entry could not be read; the rest of the journal still builds."""

    exit_code = 1

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple:
        """Survive pickling (entries are read in worker processes)."""
        return (type(self), (self.path, self.message, self.line))


class EntryWarning(EntryError):
    """A problem in an entry that still builds (a metric left out of charts, say)."""
