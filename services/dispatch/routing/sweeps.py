"""Scheduled sweeps of this area (see services/dispatch/schedule.py)."""

from shared.scheduler import Job

JOBS: list[Job] = []
