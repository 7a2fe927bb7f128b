"""One exception family, so the CLI can print a one-line message that names the problem and the fix."""


class AseanError(Exception):
    """Base class: the message says what is wrong and how to fix it."""


class DataError(AseanError):
    """An input file is missing, corrupt, or not shaped as its manifest entry says."""


class ParameterError(AseanError, ValueError):
    """A run parameter (or an argument of a computation) is unknown, ill-typed or out of range."""


class ClaimsError(AseanError):
    """The claims registry or a recorded value is malformed."""


class RunError(AseanError):
    """A run cannot start or finish: a refused output folder, a held lock, an interrupted or failed run."""
