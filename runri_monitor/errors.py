"""Errors that the CLI turns into one line on stderr and a non-zero exit code."""


class RunriError(Exception):
    """An expected failure with a message for the user (no traceback)."""

    exit_code = 1


class InputError(RunriError):
    """Bad input: a file, an option, a malformed record."""

    exit_code = 2


class StoreLockedError(RunriError):
    """The database is locked by another writer."""

    exit_code = 3
