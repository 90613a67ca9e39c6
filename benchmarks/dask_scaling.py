"""Dask scaling benchmark: the same CSV file scored on a local cluster of 1, then 2 workers.

Usage::

    python benchmarks/dask_scaling.py [--rows 200000] [--blocksize 8MB]

Writes ``--rows`` synthetic shops (``make_shops``, list fields as JSON text) to a CSV file in a
temporary folder and runs ``score_file_dask`` (CSV to CSV) on a ``distributed.LocalCluster``
of single-threaded worker processes, first with 1 worker, then with 2. Each cluster is
started and warmed up (a 200-row file, so the workers have imported fraudrisk) before the
timed run. Prints the machine, rows/s for each and the scaling ratio (2 workers / 1 worker).

On a shared machine the ratio also measures the neighbours: so each run also prints the load
average before it, the CPU time the workers and the client actually got, and rows per CPU
second of the workers. When rows per worker-CPU-second stay the same with 2 workers, Dask adds
no overhead and a ratio below 2 comes from cores the workers did not get.
"""

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import psutil
from distributed import Client, LocalCluster

from fraudrisk.datasets import make_shops
from fraudrisk.distributed import DEFAULT_BLOCKSIZE, score_file_dask


def write_shops(path, rows, seed):
    X, _ = make_shops(rows, seed=seed)
    for column in ("payment_methods", "contact_emails", "links", "prices"):
        X[column] = X[column].map(lambda value: "" if not isinstance(value, list) else json.dumps(value))
    X.to_csv(path, index=False)


def timed_run(workers, source, warmup, folder, blocksize):
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        score_file_dask(warmup, Path(folder) / "warmup-out.csv", scheduler=client, blocksize=blocksize)
        workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
        load = os.getloadavg()[0]
        before = _cpu(workers)
        started = time.perf_counter()
        summary = score_file_dask(source, Path(folder) / "out.csv", scheduler=client, blocksize=blocksize)
        seconds = time.perf_counter() - started
        worker_cpu, client_cpu = (after - first for after, first in zip(_cpu(workers), before, strict=True))
    return summary["rows"], seconds, worker_cpu, client_cpu, load


def _cpu(workers):
    """CPU seconds used so far by the worker processes, and by this process (the client)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return sum(sum(worker.cpu_times()[:2]) for worker in workers), own.ru_utime + own.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--blocksize", default=DEFAULT_BLOCKSIZE)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        source, warmup = Path(folder) / "in.csv", Path(folder) / "warmup.csv"
        write_shops(source, args.rows, seed=2)
        write_shops(warmup, 200, seed=3)
        size = source.stat().st_size / 2**20
        print(f"input: {args.rows:,} KTU-like shops, CSV {size:.0f} MiB, blocks of {args.blocksize}")
        rates = {}
        for workers in (1, 2):
            rows, seconds, worker_cpu, client_cpu, load = timed_run(workers, source, warmup, folder, args.blocksize)
            rates[workers] = rows / seconds
            plural = "s" if workers > 1 else ""
            print(
                f"(c) Dask, {workers} worker{plural}: {seconds:.1f} s, {rates[workers]:,.0f} rows/s "
                f"(load average before {load:.1f}; workers got {worker_cpu / seconds:.2f} cores, "
                f"{rows / worker_cpu:,.0f} rows per worker-CPU-second; client {client_cpu:.1f} CPU s)"
            )
    print(f"    scaling ratio, 2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
