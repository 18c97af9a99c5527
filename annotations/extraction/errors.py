"""The one refusal of extraction: a message the upload form shows under the file, and a code tests can name."""


class ExtractionError(ValueError):
    """The file cannot be turned into a paper's text; nothing was stored."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
