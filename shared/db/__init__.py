"""Async SQLAlchemy per service database, with the tenancy hook installed."""
