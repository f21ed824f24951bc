"""Queue tasks of the search app (huey discovers this module)."""

from huey.contrib.djhuey import db_task


@db_task(name="ipplatform.search.index_on_writer", retries=3, retry_delay=10)
def index_on_writer(ids: list[str], deleted: list[str]) -> int:
    """Index changed records on the writer node (the one running the worker); replicas copy its segments."""
    from . import services

    return services.index_ids(ids=ids, deleted=deleted)
