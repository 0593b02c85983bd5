"""党员考绩墙: the performance wall of members' monthly reports (TRN-06)."""
