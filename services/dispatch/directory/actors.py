"""Event handlers of the dispatch service (directory)."""
