"""四和院: Ouhai's Four-Harmony Courtyards and the cadres' monthly contacts in the console."""
