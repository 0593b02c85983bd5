"""Routing ``/api/<service>/...`` to the services: thin, streaming, rate-limited."""
