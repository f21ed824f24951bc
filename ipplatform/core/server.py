"""The gunicorn worker the platform runs on (scripts/gunicorn.conf.py names it).

gunicorn's threaded worker accepts every connection it is offered, whether or not a thread is free, and queues it
behind the requests it already holds. With two workers on two cores that splits the load by chance: under 50
concurrent keep-alive connections one worker held 43 and the other 7, so one core queued while the other idled and
the slowest 1 % of requests waited more than twice as long as they had to (bench/web_load.py).

`FairThreadWorker` takes a new connection only while one of its threads is idle. Until then the connection waits
in the kernel's accept queue, which all workers share, and goes to whichever worker frees a thread first: one queue
in arrival order in front of all the threads. Connections are closed after each response (`keepalive = 0` in
gunicorn.conf.py) so that every request passes through that shared queue; a kept-alive connection would stay with
its worker however busy it was.
"""

from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker


class FairThreadWorker(ThreadWorker):
    """A threaded worker that accepts only while it has an idle thread."""

    def __init__(self, *args, **kwargs):
        self.in_flight = 0  # connections handed to the thread pool and not yet finished
        super().__init__(*args, **kwargs)

    # gthread's loop accepts while `nr_conns < worker_connections`; the limit reads as 0 while every thread is busy,
    # so the loop stops listening then and starts again after the next request finishes.
    @property
    def worker_connections(self) -> int:
        return self._connection_limit if self.in_flight < self.cfg.threads else 0

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._connection_limit = value

    def enqueue_req(self, conn):
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        # runs on the worker's main thread (gthread's method queue), as enqueue_req does: no lock needed
        self.in_flight -= 1
        super().finish_request(conn, fs)
