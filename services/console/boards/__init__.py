"""公开栏: the district's public boards for staff (publish, withdraw, the log) and for anyone (the public page)."""
