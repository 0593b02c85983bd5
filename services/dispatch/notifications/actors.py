"""Event handlers of the dispatch service (notifications)."""
