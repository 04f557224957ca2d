"""The one exception the ``lin`` command turns into a one-line message."""


class CliError(Exception):
    """A mistake in the user's input or environment: printed as
    ``lin: error: MESSAGE`` with exit status ``status``, without a traceback."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status
