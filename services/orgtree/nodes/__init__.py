"""Org nodes: reading and editing units of the district's trees within the caller's scope."""
