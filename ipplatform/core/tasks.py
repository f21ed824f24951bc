"""Periodic jobs registered with the queue's scheduler (huey discovers this module): one per entry of
core.scheduled.SCHEDULE, each recorded as a background job."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import jobs
from .scheduled import SCHEDULE


def _register(item):
    @db_periodic_task(crontab(minute=item.minute, hour=item.hour), name=f"ipplatform.scheduled.{item.key}")
    def periodic():
        jobs.submit(
            kind=f"scheduled.{item.key}",
            title=f"定时任务：{item.title}",
            func_path="ipplatform.core.scheduled.run_scheduled",
            kwargs={"key": item.key},
            run_inline=True,
        )

    return periodic


PERIODIC_TASKS = {item.key: _register(item) for item in SCHEDULE}
