"""Event handlers of the dispatch service (routing)."""
