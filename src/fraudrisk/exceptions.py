"""Every public error raised by fraudrisk.

Each error derives from :class:`FraudRiskError` and from the builtin exception a
caller would naturally catch, so ``except ValueError`` keeps working.
"""


class FraudRiskError(Exception):
    """Base class of every error raised by fraudrisk."""

    def __init__(self, message):
        super().__init__(message)


class SchemaError(FraudRiskError, ValueError):
    """A shop record does not follow the schema.

    The message names the record index, the field and what was expected, e.g.
    ``shop record 17: field 'tls_not_after' must be a date or ISO-8601 string, got 'soon'``.

    Attributes
    ----------
    index : int or None
        Position of the offending record in the input (``None`` for a lone record).
    field : str or None
        Name of the offending field (``None`` when the record as a whole is wrong).
    """

    def __init__(self, message, *, index=None, field=None):
        super().__init__(message)
        self.index = index
        self.field = field


class ModelIntegrityError(FraudRiskError, RuntimeError):
    """A model file's content does not match the hash recorded for it; it was not loaded."""


class ModelFormatError(FraudRiskError, ValueError):
    """A model file or its manifest is missing, unreadable or of an unknown format."""


class TruncatedInputError(FraudRiskError, OSError):
    """An input file ended early (truncated gzip, read error): the rest of it could not be read.

    File readers raise it after every row read before the break has been handed on, so those
    rows are still scored; the last of them carries the same message as its error.
    """
