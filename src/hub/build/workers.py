"""Work shared with forked workers, its results handed back in the order of the work.

MkDocs renders pages one after another on one core. Once the navigation is made, forked
workers share what the build holds as it is (no pickling), each making ready what its items
need (`setup`): the item at position p goes to worker (p + 1) mod jobs, worker 0 being
this process, so that every worker holds as many costly items (see `owner`). A worker does
its items and sends back only a small result for each, which this process takes in the items' order,
between its own: whatever it feeds them to sees the same sequence for any number of jobs.

A worker that fails names its item; the build then fails, as it does when it fails itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, NoReturn, TypeVar

from pydantic import PositiveInt, RootModel

from hub.build.background import start_forked
from hub.core.options import OptionSection
from hub.core.settings import Settings

Item = TypeVar("Item")

JOBS_ENV = "HUB_JOBS"  # `mkdocs build` takes no option for its hooks: the command line sets this instead
MIN_ITEMS_PER_JOB = 20  # below this (a preview's few changed pages), a fork costs more than it saves


class Jobs(RootModel[PositiveInt]):
    """`extra.hub.jobs`: processes that render pages; absent, one per core this process may use."""


JOBS_OPTIONS = OptionSection("jobs", Jobs, optional=True)


class JobsError(ValueError):
    """HUB_JOBS is not a positive whole number."""


def jobs_setting(settings: Settings, environ: Mapping[str, str] = os.environ) -> int:
    """HUB_JOBS, else extra.hub.jobs, else the cores this process may use; 1 where `fork` does not exist."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    written = environ.get(JOBS_ENV, "").strip()
    if written:
        if not written.isdigit() or int(written) < 1:
            raise JobsError(f"{JOBS_ENV} は 1 以上の整数で書いてください（{JOBS_ENV} must be a positive whole number）: {written!r}")
        return int(written)
    option = JOBS_OPTIONS.read(settings)
    return option.root if option is not None else usable_cores()


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def jobs_for(items: int, jobs: int) -> int:
    """As many jobs as give each at least MIN_ITEMS_PER_JOB items, up to `jobs`."""
    return max(1, min(jobs, items // MIN_ITEMS_PER_JOB))


def owner(position: int, jobs: int) -> int:
    """Which of `jobs` processes does the item at `position` (0: this one, which then takes every
    jobs-th item from the second on): known before the work is shared, so that what leads up to an
    item can be left to its worker too. The first item goes to a worker: a build's first page is its
    largest (the case index, 3 MB of cards at N = 3,000), which for a moment takes tens of MB more,
    and this process is the one that already holds the most."""
    return (position + 1) % jobs


def done_elsewhere(position: int, jobs: int) -> bool:
    """Whether a worker does the item at `position` of `jobs` shares (this process does the others)."""
    return owner(position, jobs) != 0


@dataclass(frozen=True)
class Failure:
    """A worker's last message when an item failed: the item's name and the error."""

    name: str
    message: str


@dataclass(frozen=True)
class Done:
    """A worker's last message when all its items were done."""

    warnings: int  # logged while doing them: they count for MkDocs' strict mode, which counts in this process
    seconds: float  # of CPU time the worker used, for the build's log


class WorkerFailed(RuntimeError):
    def __init__(self, failure: Failure) -> None:
        super().__init__(f"{failure.name}: {failure.message}")
        self.failure = failure


class SharedWork(Generic[Item]):
    """`items` at the positions `owner` gives a worker are done by jobs − 1 forked workers, each
    calling `setup()` once and then `work(item)` for its items; this process does the others
    itself and takes the workers' results in order with `results_before` and `finish`."""

    def __init__(self, items: Sequence[Item], jobs: int, work: Callable[[Item], Any],
                 name: Callable[[Item], str], setup: Callable[[], None] = lambda: None,
                 logger: str = "") -> None:
        self.items, self.jobs = items, jobs
        self.next = 0  # the position of the next result to take
        self.failure: Failure | None = None
        self.warnings = 0
        self.seconds: list[float] = []  # each worker's CPU time
        self.workers: list[_Worker] = []
        for share in range(1, jobs):
            self.workers.append(_Worker.start(items[share - 1::jobs], work, name, setup, logger, self.workers))
        for worker in self.workers:
            worker.listen()

    def elsewhere(self, position: int) -> bool:
        """Whether a worker does the item at `position` (this process does the others)."""
        return done_elsewhere(position, self.jobs)

    def results_before(self, position: int) -> Iterator[Any]:
        """The workers' results for the positions before `position`, in order, waiting for each
        as needed; none after a failure (`finish` reports it)."""
        while self.next < position and self.failure is None:
            if self.elsewhere(self.next):
                message = self.workers[owner(self.next, self.jobs) - 1].take()
                if isinstance(message, Failure):
                    self.failure = message
                    return
                yield message
            self.next += 1

    def finish(self) -> Iterator[Any]:
        """The results left, then every worker waited for; on a failure the others are stopped
        and WorkerFailed names the failed item."""
        yield from self.results_before(len(self.items))
        for worker in self.workers if self.failure is None else []:
            last = worker.take()
            if isinstance(last, Failure):
                self.failure = last
                break
            self.warnings += last.warnings
            self.seconds.append(last.seconds)
        if self.failure is not None:
            self.cancel()
            raise WorkerFailed(self.failure)
        for worker in self.workers:
            worker.join()

    def cancel(self) -> None:
        for worker in self.workers:
            worker.cancel()


class _Worker:
    """One forked worker, and a thread here that takes its messages as soon as they come, so
    that it never waits on a full pipe while this process is busy with its own items."""

    def __init__(self, process: multiprocessing.process.BaseProcess | None, receiver: Connection,
                 names: list[str]) -> None:
        self.process, self.receiver, self.names = process, receiver, names
        self.inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.received = 0
        self.thread = threading.Thread(target=self._receive, daemon=True, name="hub: results of a worker")

    @classmethod
    def start(cls, items: Sequence[Item], work: Callable[[Item], Any], name: Callable[[Item], str],
              setup: Callable[[], None], logger: str, earlier: list[_Worker]) -> _Worker:
        """The worker closes the receiving ends it inherits (its own, earlier workers'): should
        this process end, however it ends, the worker's next result then fails to send and it stops."""
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        receivers = [receiver, *(worker.receiver for worker in earlier)]
        process = start_forked(_work_through, items, work, name, setup, logger, sender, receivers, name="hub: worker")
        sender.close()
        return cls(process, receiver, [name(item) for item in items])

    def listen(self) -> None:
        """Started once every worker is forked: a fork copies no thread but may copy a held lock."""
        self.thread.start()

    def _receive(self) -> None:
        try:
            while True:
                message = self.receiver.recv()
                self.inbox.put(message)
                if isinstance(message, (Done, Failure)):
                    return
                self.received += 1
        except (EOFError, OSError):  # the worker ended without a last word: killed, or out of memory
            unfinished = self.names[self.received] if self.received < len(self.names) else "?"
            self.inbox.put(Failure(unfinished, "the worker process ended unexpectedly"))
        finally:
            self.receiver.close()

    def take(self) -> Any:
        return self.inbox.get()

    def join(self) -> None:
        self.thread.join()
        if self.process is not None:
            self.process.join()

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _work_through(items: Sequence[Item], work: Callable[[Item], Any], name: Callable[[Item], str],
                  setup: Callable[[], None], logger: str, sender: Connection, receivers: list[Connection]) -> None:
    """In a worker: each item's result as soon as it is done, then Done, or Failure and exit;
    it stops quietly when the build's process is gone."""
    for receiver in receivers:
        receiver.close()
    counter = _WarningCounter()
    logging.getLogger(logger or None).addHandler(counter)
    try:
        try:
            setup()
        except Exception as error:  # named by the first item, the one it could not start
            _fail(sender, name(items[0]) if items else "?", error)
        for item in items:
            try:
                result = work(item)
            except Exception as error:
                _fail(sender, name(item), error)
            sender.send(result)
        sender.send(Done(counter.count, time.process_time()))
    except BrokenPipeError:
        raise SystemExit(1) from None
    finally:
        sender.close()


def _fail(sender: Connection, name: str, error: Exception) -> NoReturn:
    traceback.print_exc()
    sender.send(Failure(name, f"{type(error).__name__}: {error}"))
    raise SystemExit(1) from None


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
