"""Grid leadership: one red-collar leader or grid party group leader per grid (ORG-03)."""
