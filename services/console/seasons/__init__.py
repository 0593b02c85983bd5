"""四季服务: Ouhai's four-season programmes in the console."""
