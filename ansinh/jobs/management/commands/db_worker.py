"""`ansinh db_worker`: django-tasks-db's worker, which also recovers jobs a dead worker left.

django-tasks-db leaves a task whose worker died in RUNNING for ever. Before taking tasks, and
then every JANITOR_SECONDS in a side thread, this worker looks for running jobs whose worker is
gone (a dead process on this machine, or no heartbeat for settings.JOBS_STALE_SECONDS) and queues
them again (ansinh.jobs.services.recover_lost_jobs). The options are django-tasks-db's.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ansinh.jobs.services import recover_lost_jobs

logger = logging.getLogger("ansinh.jobs")

JANITOR_SECONDS = 30.0


def recover(stdout: Any = None) -> None:
    try:
        recovered = recover_lost_jobs()
    except DatabaseError:  # e.g. SQLite busy with a long job: next round
        logger.warning("Could not look for lost jobs this time", exc_info=True)
        return
    if stdout is not None:  # services.recover_lost_jobs logs each one too
        for job_id, outcome in recovered:
            stdout.write(f"Job #{job_id}: its worker was gone; {outcome}.")


class Janitor(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="jobs-janitor", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(JANITOR_SECONDS):
            close_old_connections()
            recover()
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Runs background jobs (django-tasks-db's worker); first requeues jobs whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        recover(self.stdout)
        janitor = None if options.get("batch") else Janitor()
        if janitor is not None:
            janitor.start()
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            super().handle(*args, **options)
        finally:
            if janitor is not None:
                janitor.stopped.set()
            for sig, handler in handlers.items():  # the worker sets its own; give them back (tests)
                signal.signal(sig, handler)
