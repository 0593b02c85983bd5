"""Cadres posted to villages: stationed street cadres (ORG-10) and two-committee village cadres (ORG-19)."""
