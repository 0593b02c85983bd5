"""Organisation tree service: the district's administrative and party trees, members and households."""

SERVICE = "orgtree"
