"""Exceptions deident raises. Messages name types, paths and reasons, never document content."""


class DeidentError(Exception):
    """Base class for every error deident raises on purpose."""


class KeyFileError(DeidentError):
    """The pseudonymization key is missing, unreadable or unsafe."""


class ModelNotInstalledError(DeidentError):
    """The French spaCy pipeline is not installed (deident never downloads at run time)."""


class RefusedError(DeidentError):
    """A file that cannot be made safe; it is never written to the output."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedFormatError(RefusedError):
    """A file type deident has no adapter for."""


class UsageError(DeidentError):
    """The command was asked something it must not do (e.g. DST inside SRC)."""
