"""Dispatch service: the 96345-style hotline, its orders and cases, clocks, escalation and closure."""

SERVICE = "dispatch"
