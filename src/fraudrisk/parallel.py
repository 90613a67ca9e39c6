"""Work on chunks in worker processes: results in input order, only a few chunks in memory.

Scoring and featurizing are Python code per record, so threads do not help; processes do.
Workers start from a fresh interpreter (forkserver), so they inherit no threads or locks of
the caller. For scoring, each worker gets the model once, when it starts (the shipped model is
loaded and verified in the worker), then only chunks of records travel (a CSV file scored into
CSV travels as blocks of its lines and the scored text, see :mod:`fraudrisk._csv_blocks`). The
pool starts only when there is more than one chunk. Worker processes are ours, so once their
libraries and model are loaded they exempt them from the garbage collector's full scans
(:func:`settle`).
"""

import gc
import itertools
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor

_worker_model = None


def _start_worker(model):
    global _worker_model
    from fraudrisk.scoring import shipped_model

    _worker_model = model if model is not None else shipped_model()
    settle()


def worker_model():
    """The model of this worker process (set when it started)."""
    return _worker_model


def scoring_pool(workers, model=None):
    """A pool of ``workers`` processes that each hold ``model`` (default: the shipped model).

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
    """
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(model,))


def preload_workers():
    """Have worker processes start with fraudrisk and its libraries already imported.

    Worker processes fork from the forkserver; once it has imported ``fraudrisk.scoring``
    (scikit-learn, pandas: ~2 s), each worker starts in a fraction of a second instead of
    importing them again. For processes fraudrisk owns (the command): the forkserver is shared
    by the whole process, so a library never sets this in a caller's process.
    """
    multiprocessing.get_context("forkserver").set_forkserver_preload(["fraudrisk.scoring"])


def start_workers_server():
    """Start the forkserver now rather than when the first worker starts.

    After :func:`preload_workers`, it imports fraudrisk's libraries (~2.5 s); started early, it
    does so while the calling process imports its own, on another core, instead of after. For
    processes fraudrisk owns (the command), like :func:`preload_workers`.
    """
    from multiprocessing import forkserver

    forkserver.ensure_running()


def settle():
    """Exempt every object alive now from the garbage collector's full scans (``gc.freeze``).

    For processes fraudrisk owns (the command, its worker processes), once the libraries and
    the model are loaded: they live as long as the process, yet every full collection would
    walk their ~150,000 objects again (~8 % of the time of scoring KTU-like shops). Never
    called in a caller's own process.
    """
    gc.freeze()


def _score_records(records, first_index, settings, model):
    from fraudrisk.scoring import score_batch

    model = model if model is not None else _worker_model
    return score_batch(records, model=model, first_index=first_index, **settings)


def ordered_map(function, arguments, workers=1, *, initializer=None, initargs=()):
    """``function(*args)`` for every ``args`` of ``arguments``, in order, in ``workers`` processes.

    At most ``workers + 1`` calls are pending at a time, so memory holds only a few chunks.

    Parameters
    ----------
    function : callable
        A module-level function (it is pickled by name).
    arguments : iterable of tuple
        Positional arguments of each call.
    workers : int, default=1
        Processes; 1 calls ``function`` in this process.
    initializer, initargs
        Run once in each worker process when it starts.

    Yields
    ------
    object
        Each call's result, in the order of ``arguments``. When iterating ``arguments`` fails
        part way, the results of the calls before are yielded first, then the error is raised.
    """
    arguments = iter(arguments)
    if workers <= 1:
        for args in arguments:
            yield function(*args)
        return
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
    pending, failure = deque(), None
    try:
        while failure is None:
            try:
                args = next(arguments)
            except StopIteration:
                break
            except Exception as error:  # the input broke off: finish what was read, then say so
                failure = error
                break
            pending.append(pool.submit(function, *args))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        if failure is not None:
            raise failure
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def scored_chunks(chunks, workers=1, model=None, **settings):
    """``score_batch`` of each chunk, in order, in ``workers`` processes.

    Parameters
    ----------
    chunks : iterable of (records, first_index)
        Record tables and the index of their first record in the whole input.
    workers : int, default=1
        Processes; 1 scores in this process.
    model : FraudRiskModel, optional
        Default: the shipped model.
    **settings
        Keyword arguments of :func:`~fraudrisk.scoring.score_batch` (``prevalence``,
        ``reasons``, ``errors``, ``seal_members``).

    Yields
    ------
    pandas.DataFrame
        The result of each chunk, in input order. When reading the chunks fails part way,
        the results of the chunks read before are yielded first, then the error is raised.
    """
    chunks = iter(chunks)
    head, failure = [], None
    try:
        head.extend(itertools.islice(chunks, 2))
    except Exception as error:  # the input broke off within the first chunks
        failure = error
    if workers <= 1 or len(head) < 2 or failure is not None:
        for records, first_index in head:
            yield _score_records(records, first_index, settings, model)
        if failure is not None:
            raise failure
        for records, first_index in chunks:
            yield _score_records(records, first_index, settings, model)
        return
    calls = ((records, first_index, settings, None) for records, first_index in itertools.chain(head, chunks))
    yield from ordered_map(_score_records, calls, workers, initializer=_start_worker, initargs=(model,))
