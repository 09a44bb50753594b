"""One error type for every unreadable document, with a short machine code and a human reason."""

from __future__ import annotations


class DocumentError(ValueError):
    """A CV that cannot be turned into text.

    ``code`` is stable for analysts (``empty``, ``encrypted``, ``corrupt``, ``no_text_layer``,
    ``unsupported_format``, ``too_large``, ``garbled_text``); ``str(error)`` is the one-line reason
    shown to users in run logs, asset metadata and the CLI.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
