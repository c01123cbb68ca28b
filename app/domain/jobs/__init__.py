"""Jobs: the database-backed queue and its worker.

The public module of the area: other areas enqueue and register jobs through
these names, never through app.domain.jobs.queue or .schedule directly.
"""

from app.domain.jobs.labels import job_label, job_label_values
from app.domain.jobs.queue import PermanentFailure, enqueue, job_handler, periodic
from app.domain.jobs.schedule import Schedule, daily, weekly

__all__ = [
    "PermanentFailure",
    "Schedule",
    "daily",
    "enqueue",
    "job_handler",
    "job_label",
    "job_label_values",
    "periodic",
    "weekly",
]
