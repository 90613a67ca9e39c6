"""Scoring on a Dask cluster: a ``dask.dataframe`` partition by partition, or a file of any size.

Needs the optional dependencies: ``pip install "fraudrisk[dask]"``. Every worker needs
fraudrisk installed, at the same version as the client. The model is sent to the workers
once; each partition is scored by :func:`fraudrisk.scoring.score_batch`, so a row gets
the same probability as in-process scoring.
"""

import collections
import itertools
import os
import time
import zlib
from contextlib import contextmanager

import pandas as pd

from fraudrisk._dask_reading import read_blocks
from fraudrisk._output_columns import kept_columns, with_input_columns
from fraudrisk.batch import _Writer
from fraudrisk.exceptions import SchemaError
from fraudrisk.readers import TruncatedInputError, format_of, split_columns
from fraudrisk.scoring import score_batch, shipped_model

INSTALL_HINT = 'scoring with Dask needs the optional dependencies: pip install "fraudrisk[dask]"'
DEFAULT_BLOCKSIZE = "8MB"


def _require_dask():
    """Import Dask, or raise ImportError naming the extra that installs it."""
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:
        raise ImportError(f"{INSTALL_HINT} ({error})") from error


def _kept(table, keep):
    """Schema fields and the input columns to copy, as ``keep`` asks (see :func:`score_file`)."""
    fields, extra = split_columns(table)
    return fields, kept_columns(table, extra, keep)


def _check_keep(frame, keep):
    if keep not in ("all", "none") and keep not in frame.columns:
        raise ValueError(f"--keep column {keep!r} is not in the input (columns: {', '.join(map(str, frame.columns))})")


def _score_columns(reasons):
    """An empty DataFrame with the score columns of the output and their dtypes."""
    text = pd.Series([], dtype=str)
    scores = {"url": text, "probability": pd.Series([], dtype="float64"), "band": text}
    if reasons:
        scores.update(reasons=text, red_flags=text)
    scores["error"] = text
    return pd.DataFrame(scores)


def _score_partition(part, model, offsets, prevalence, reasons, keep, seal_members, dtypes, partition_info=None):
    """Score one partition; error messages count rows from the start of the whole frame."""
    number = partition_info["number"] if partition_info else 0
    first = offsets[number]
    if len(part) != offsets[number + 1] - first:
        raise RuntimeError(
            f"partition {number} has {len(part)} rows but {offsets[number + 1] - first} were counted: "
            "the frame's partitions changed between counting and scoring; persist it first"
        )
    fields, extra = _kept(part, keep)
    result = score_batch(
        fields,
        model=model,
        prevalence=prevalence,
        reasons=reasons,
        errors="report",
        seal_members=seal_members,
        first_index=first,
    )
    result = with_input_columns(extra, result)
    result.index = part.index
    return result.astype(dtypes)


def _ship(model, client):
    """The model as something every task can take: scattered to all workers, or one graph key."""
    import dask

    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except ValueError:
            client = None
    if client is not None:
        return client.scatter(model, broadcast=True)
    return dask.delayed(model, pure=True)


def _compute(collection, client):
    """A collection (or a list of them) computed on the client's cluster, or by the current scheduler."""
    if client is not None:
        return client.gather(client.compute(collection))
    import dask

    return dask.compute(collection)[0]


def _score_frame(frame, lengths, model, prevalence, reasons, keep, seal_members, client):
    import dask

    scores = _score_columns(reasons)
    offsets = [0, *itertools.accumulate(lengths)]
    return frame.map_partitions(
        _score_partition,
        _ship(model or shipped_model(), client),
        dask.delayed(offsets, pure=True),
        prevalence,
        reasons,
        keep,
        seal_members,
        scores.dtypes.to_dict(),
        meta=with_input_columns(_kept(frame._meta, keep)[1], scores),
    )


def _lengths(frame, client):
    """Rows per partition (of the whole frame: a projection could change a reader's partitions)."""
    lengths = [int(n) for n in _compute(frame.map_partitions(len), client)]
    if len(lengths) != frame.npartitions:
        raise RuntimeError(f"counted {len(lengths)} partitions, expected {frame.npartitions}")
    return lengths


def score_dask(frame, model=None, prevalence=None, *, reasons=False, keep="all", seal_members=None, client=None):
    """Score a ``dask.dataframe`` of shop records, partition by partition.

    Every input row gives one output row, with the input's index and partitions. A row that
    breaks the schema gets an ``error`` text (naming its row number in the whole frame) and
    an empty probability, as ``score_batch(..., errors="report")`` does. The rows per
    partition are counted first (one pass over the input; persist the frame to avoid reading
    it twice) so that those row numbers are global; the scoring itself stays lazy.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        Shop records, one per row; list fields as lists or as JSON text. Dask turns object
        columns into strings by default, which spoils list columns built from pandas: JSON-encode
        them, or build the frame under ``dask.config.set({"dataframe.convert-string": False})``.
    model : FraudRiskModel, optional
        Default: the shipped model. It is sent to the workers once.
    prevalence : float in (0, 1), optional
        Base rate of fraud where you deploy.
    reasons : bool, default=False
        Add ``reasons`` and ``red_flags`` columns.
    keep : "all", "none" or a column name, default="all"
        Input columns that are not schema fields to copy to the output.
    seal_members : dict, optional
        Trust-seal members to check claimed seals against.
    client : distributed.Client, optional
        Client to scatter the model with; default: the current client, if any (otherwise the
        model is one key of the task graph, which any Dask scheduler can run).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy: the input columns kept, then ``url``, ``probability``, ``band`` (``reasons``,
        ``red_flags``) and ``error``.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> shops = pd.DataFrame({"url": ["https://shop.example.be", "https://b.example.be", "not a url"]})
    >>> scored = score_dask(dd.from_pandas(shops, npartitions=2)).compute()
    >>> scored["probability"].between(0, 1).tolist()
    [True, True, False]
    >>> scored["error"].iloc[2][:15]
    'shop record 2: '

    On a cluster, connect a client first (``Client("tcp://host:8786")``): the model is then
    scattered to its workers.
    """
    _require_dask()
    _check_keep(frame, keep)
    return _score_frame(frame, _lengths(frame, client), model, prevalence, reasons, keep, seal_members, client)


@contextmanager
def _connected(scheduler):
    """A client: a local cluster for the run (None), a scheduler address, or the client given."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        with cluster, Client(cluster) as client:
            yield client
    elif isinstance(scheduler, str):
        with Client(scheduler) as client:
            yield client
    else:
        yield scheduler


def score_file_dask(
    source,
    target,
    *,
    scheduler=None,
    model=None,
    prevalence=None,
    reasons=False,
    strict=False,
    keep="all",
    seal_members=None,
    input_format=None,
    blocksize=DEFAULT_BLOCKSIZE,
    progress=None,
):
    """Score every shop of a file into another on a Dask cluster; the output is :func:`score_file`'s.

    The workers read and score blocks of the input in parallel; the client writes the scored
    blocks in input order to a temporary file beside ``target`` and renames it when complete.
    The workers must be able to read ``source`` (a shared disk, or a URL such as
    ``s3://...`` that Dask can open); only the client writes ``target``.

    Parameters
    ----------
    source : str or path-like
        Input file (.csv, .jsonl, .parquet; gzip-compressed files are read as one block).
    target : str or path-like
        Output file; the format follows its extension.
    scheduler : str or distributed.Client, optional
        Scheduler address such as ``"tcp://host:8786"``, or a client. Default: a local
        cluster for the run, one single-threaded worker process per core.
    model : FraudRiskModel, optional
        Default: the shipped model.
    prevalence : float, optional
        Deployment base rate of fraud.
    reasons : bool, default=False
        Add ``reasons`` and ``red_flags`` columns.
    strict : bool, default=False
        Raise :class:`~fraudrisk.SchemaError` for the first bad row (nothing is written).
        A truncated gzip input raises :class:`~fraudrisk.readers.TruncatedInputError`, an
        ``OSError`` (nothing is written either).
    keep : "all", "none" or a column name, default="all"
        Input columns that are not schema fields to copy to the output.
    seal_members : dict, optional
        Trust-seal members to check claimed seals against.
    input_format : {"csv", "jsonl", "parquet"}, optional
        Default: from the file name.
    blocksize : str or int, default="8MB"
        Bytes of input per task (for Parquet, of the row groups' uncompressed data).
    progress : callable, optional
        Called as ``progress(rows_done)`` after every block written.

    Returns
    -------
    dict
        ``rows``, ``errors``, ``bands`` (rows per band) and ``seconds``.
    """
    _require_dask()
    started = time.perf_counter()
    model = model or shipped_model()
    kind = format_of(source, input_format)
    with _connected(scheduler) as client:
        try:
            frame, lengths = read_blocks(source, kind, blocksize, lambda collection: _compute(collection, client))
            _check_keep(frame, keep)
            scored = _score_frame(frame, lengths, model, prevalence, reasons, keep, seal_members, client)
            summary = _write(client, scored.to_delayed(), target, strict, model, progress)
        except (EOFError, zlib.error) as error:
            raise TruncatedInputError(f"the input ends early: {error}; nothing was written") from error
    summary["seconds"] = time.perf_counter() - started
    return summary


def _write(client, parts, target, strict, model, progress):
    """Compute the scored partitions and write them in order; the summary of :func:`score_file`.

    Only a window of partitions (four per worker thread) is computed at a time, oldest first,
    so the workers hold few results and the output grows steadily, however large the input.
    """
    parts = iter(parts)
    ahead = 4 * max(sum(client.nthreads().values()), 1)
    window = collections.deque(client.compute(part) for part in itertools.islice(parts, ahead))
    writer = _Writer(target)
    rows, errors, bands = 0, 0, {}
    try:
        while window:
            future = window.popleft()
            window.extend(client.compute(part) for part in itertools.islice(parts, 1))
            part = future.result().reset_index(drop=True)
            future.release()
            bad = part["error"] != ""
            if strict and bad.any():
                raise SchemaError(part["error"][bad].iloc[0], index=rows + int(bad.to_numpy().argmax()))
            writer.write(part.drop(columns=["error"]) if strict else part)
            rows += len(part)
            errors += int(bad.sum())
            for band, count in part["band"].value_counts().items():
                bands[band] = bands.get(band, 0) + int(count)
            if progress:
                progress(rows)
        if writer.first:
            writer.write(score_batch([], model=model, errors="raise" if strict else "report"))
        writer.commit()
    except BaseException:
        writer.abort()
        client.cancel(list(window))
        raise
    return {"rows": rows, "errors": errors, "bands": bands, "seconds": 0.0}


__all__ = ["score_dask", "score_file_dask"]
