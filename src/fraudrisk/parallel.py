"""Scoring chunks in worker processes: results in input order, only a few chunks in memory.

Scoring is Python code per record, so threads do not help; processes do. Each worker gets
the model once, when it starts (the shipped model is loaded and verified in the worker), then
only chunks of records travel. The pool starts only when there is more than one chunk.
"""

import itertools
import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor

_worker_model = None


def _start_worker(model):
    global _worker_model
    _worker_model = model


def _score_records(records, first_index, settings, model):
    from fraudrisk.scoring import score_batch

    model = model if model is not None else _worker_model
    return score_batch(records, model=model, first_index=first_index, **settings)


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
    # forkserver: workers do not inherit this process's threads or locks (fork could deadlock).
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(model,))
    chunks = itertools.chain(head, chunks)
    pending, failure = deque(), None
    try:
        while failure is None:
            try:
                records, first_index = next(chunks)
            except StopIteration:
                break
            except Exception as error:  # the input broke off: finish what was read, then say so
                failure = error
                break
            pending.append(pool.submit(_score_records, records, first_index, settings, None))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        if failure is not None:
            raise failure
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
