"""Households (ORG-07, ORG-15), their events (EVT-12) and the red-cell links members hold to them (ORG-08)."""
