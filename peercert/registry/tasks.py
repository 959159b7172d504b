"""The registry's background tasks (django-tasks)."""

from django_tasks import task


@task()
def generate_bulk_files() -> dict:
    """Write the nightly bulk files of the public registry (registry.bulkfiles). Safe to run again:
    each run writes a fresh pair and makes it current."""
    from peercert.registry import bulkfiles

    return bulkfiles.generate()
