"""Credit hours against the district's rules (TRN-03): the rules per district, each person's standing and the
people below target per unit (with an .xlsx download)."""
