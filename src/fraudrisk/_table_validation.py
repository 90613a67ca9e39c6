"""Validating a table of shop records a column at a time, each distinct text parsed once.

Every field parser depends on the value alone, so in a chunk of a file, where a date, an issuer
or a payment list recurs across thousands of rows, a text that recurs is parsed once and its
result reused. Each row's outcome is the one :func:`fraudrisk.schema.validate_record` gives
it after the reader's error column is applied (canonical record, or the same
:class:`SchemaError` text for the same first bad field); the tests hold the two paths equal.
Rows with equal texts share their canonical values, so these records are for reading
(scoring) only, never handed to a caller to modify.
"""

import operator
from collections import deque
from itertools import compress, repeat

from fraudrisk import _parse
from fraudrisk._prices import is_plain_prices_text
from fraudrisk.readers import READ_ERROR
from fraudrisk.schema import FIELDS_BY_NAME, parse_field, record_error, unknown_field_message

_MISSING = object()
_TEXT_OR_MISSING = frozenset({str, type(None), float})  # float: NaN, a missing cell of a broken row

QUICK_CHECKS = {"links": _parse.is_plain_ascii_strings, "prices": is_plain_prices_text}
"""For fields left unread (see :func:`validate_table`): a check that finds most valid texts valid
without parsing them (a page's hundreds of links and dozens of prices); False says nothing."""


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


def _text_column(values, name, unread=False):
    """:func:`_column` of a column of text and missing values only (None, NaN); else None.

    Such values are keys that compare equal only when they are the same text, so the column is
    read with C-level passes (its distinct values, then every row's by lookup) and each
    distinct text is parsed once. ``unread``: only checked, every value is ``_MISSING``.
    """
    kinds = set(map(type, values))
    if not kinds <= _TEXT_OR_MISSING:
        return None
    quick = QUICK_CHECKS.get(name) if unread else None
    canonical = dict.fromkeys(values)
    if float in kinds and any(type(value) is float and value == value for value in canonical):
        return None  # a float that is a number (not NaN): 1.0 == 1 == True would share a key
    bad = {}
    for value in canonical:
        if type(value) is not str or not value.strip():  # is_missing for these kinds: None, NaN, blank
            canonical[value] = _MISSING
            continue
        if quick is not None and quick(value):
            canonical[value] = _MISSING
            continue
        try:
            parsed = parse_field(name, value)
            canonical[value] = _MISSING if unread else parsed
        except _parse.ParseError as error:
            canonical[value], bad[value] = _MISSING, str(error)
    problems = [(row, bad[value]) for row, value in enumerate(values) if value in bad] if bad else []
    return list(map(canonical.__getitem__, values)), problems


def _column(values, name, failed, unread=False):
    """Every row's canonical value of a column (``_MISSING`` when not observed or not valid, or
    ``unread``), and ``(row, what is wrong)`` for each invalid value (not for rows that already failed)."""
    text = _text_column(values, name, unread)
    if text is not None:
        return text
    column, problems, memo = [_MISSING] * len(values), [], {}
    for row, value in enumerate(values):
        if failed[row] is not None:
            continue
        if type(value) is str:
            outcome = memo.get(value)
            if outcome is None:
                outcome = memo[value] = _outcome(value, name)
        else:
            outcome = _outcome(value, name)
        if outcome is _MISSING:
            continue
        if outcome[0]:
            column[row] = _MISSING if unread else outcome[1]
        else:
            problems.append((row, outcome[1]))
    return column, problems


def _records(names, columns, rows):
    """One dict per row of the columns' values, without the ``_MISSING`` ones (C-level passes)."""
    if not names:
        return [{} for _ in range(rows)]
    records = list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))
    for name, column in zip(names, columns, strict=True):
        unset = compress(records, map(operator.is_, column, repeat(_MISSING)))
        deque(map(dict.__delitem__, unset, repeat(name)), maxlen=0)
    return records


def _read_errors(problems, first_index):
    """A SchemaError for each row the reader could not parse (a non-empty error text), else None."""
    return [
        record_error(first_index + row, problem) if isinstance(problem, str) and problem else None
        for row, problem in enumerate(problems)
    ]


def validate_table(frame, first_index=0, unread=()):
    """Validate every row of a DataFrame of raw shop records.

    Parameters
    ----------
    frame : pandas.DataFrame
        One raw record per row; columns are field names (and maybe the readers' error column).
    first_index : int, default=0
        Index of the first row in error messages.
    unread : collection of str, default=()
        Fields the caller will not read (scoring with a model that reads no link or price):
        each value is checked, with the same errors (most valid texts of a field with a
        ``QUICK_CHECKS`` entry without being parsed), and the field is left out of the records.

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
    if unknown:
        for row in range(rows):
            if failed[row] is None:
                failed[row] = record_error(first_index + row, unknown_field_message(unknown[0]), unknown[0])
        return failed
    canonical = {}
    for name, values in columns.items():
        canonical[name], problems = _column(values, name, failed, name in unread)
        for row, problem in problems:
            if failed[row] is None:
                failed[row] = record_error(first_index + row, f"field {name!r} {problem}", name)
    for name in unread:
        canonical.pop(name, None)  # every value _MISSING: checked, not read
    urls = canonical.get("url", [_MISSING] * rows)
    for row in compress(range(rows), map(operator.is_, urls, repeat(_MISSING))):
        if failed[row] is None:
            failed[row] = record_error(first_index + row, "field 'url' is required", "url")
    records = _records(list(canonical), list(canonical.values()), rows)
    if failed.count(None) == rows:
        return records
    return [record if failed[row] is None else failed[row] for row, record in enumerate(records)]
