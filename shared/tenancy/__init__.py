"""Tenancy in the database: the one hook that sets ``app.tenant_id`` per transaction (``hook.py``).

The tenant itself is context (``shared/context.py``), filled by the HTTP and message middleware.
"""
