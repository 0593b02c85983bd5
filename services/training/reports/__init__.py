"""Monthly performance reports per member and the performance wall (TRN-06, EVT-16)."""
