"""Validating a table of shop records a column at a time, each distinct text parsed once.

Every field parser depends on the value alone, so in a chunk of a file, where a date, an issuer
or a payment list recurs across thousands of rows, a text that recurs is parsed once and its
result reused. Each row's outcome is the one :func:`fraudrisk.schema.validate_record` gives
it after the reader's error column is applied (canonical record, or the same
:class:`SchemaError` text for the same first bad field); the tests hold the two paths equal.
Rows with equal texts share their canonical values, so these records are for reading
(scoring) only, never handed to a caller to modify.
"""

from fraudrisk import _parse
from fraudrisk.readers import READ_ERROR
from fraudrisk.schema import FIELDS_BY_NAME, parse_field, record_error, unknown_field_message

_MISSING = object()


def without_read_error(raw, index):
    """The raw record without the readers' error column, or the SchemaError of a line they could not parse."""
    if isinstance(raw, dict) and READ_ERROR in raw:
        problem = raw[READ_ERROR]
        if isinstance(problem, str) and problem:
            raise record_error(index, problem)
        return {name: value for name, value in raw.items() if name != READ_ERROR}
    return raw


def _outcome(value, name):
    """``(True, canonical value)``, ``_MISSING``, or ``(False, what is wrong with the field)``."""
    if _parse.is_missing(value):
        return _MISSING
    try:
        return True, parse_field(name, value)
    except _parse.ParseError as error:
        return False, str(error)


def _column_outcomes(values, name, failed):
    """The outcome of every value of a column (None for rows that already failed)."""
    memo = {}
    outcomes = [None] * len(values)
    for row, value in enumerate(values):
        if failed[row] is not None:
            continue
        if type(value) is str:
            outcome = memo.get(value)
            if outcome is None:
                outcome = memo[value] = _outcome(value, name)
        else:
            outcome = _outcome(value, name)
        outcomes[row] = outcome
    return outcomes


def _read_errors(problems, first_index):
    """A SchemaError for each row the reader could not parse (a non-empty error text), else None."""
    return [
        record_error(first_index + row, problem) if isinstance(problem, str) and problem else None
        for row, problem in enumerate(problems)
    ]


def validate_table(frame, first_index=0):
    """Validate every row of a DataFrame of raw shop records.

    Parameters
    ----------
    frame : pandas.DataFrame
        One raw record per row; columns are field names (and maybe the readers' error column).
    first_index : int, default=0
        Index of the first row in error messages.

    Returns
    -------
    list
        Per row, its canonical record (a dict, for reading only) or the :class:`SchemaError`
        that :func:`~fraudrisk.schema.validate_record` raises for it.
    """
    columns = {
        str(column): frame.iloc[:, position].to_numpy(dtype=object) for position, column in enumerate(frame.columns)
    }
    rows = len(frame)
    problems = columns.pop(READ_ERROR, None)
    failed = [None] * rows if problems is None else _read_errors(problems, first_index)
    unknown = sorted(name for name in columns if name not in FIELDS_BY_NAME)
    records = [{} for _ in range(rows)]
    for name, values in columns.items():
        if unknown:
            break
        for row, outcome in enumerate(_column_outcomes(values, name, failed)):
            if outcome is None or outcome is _MISSING:
                continue
            valid, value = outcome
            if valid:
                records[row][name] = value
            else:
                failed[row] = record_error(first_index + row, f"field {name!r} {value}", name)
    for row, record in enumerate(records):
        if failed[row] is not None:
            continue
        if unknown:
            failed[row] = record_error(first_index + row, unknown_field_message(unknown[0]), unknown[0])
        elif "url" not in record:
            failed[row] = record_error(first_index + row, "field 'url' is required", "url")
    return [record if failed[row] is None else failed[row] for row, record in enumerate(records)]
