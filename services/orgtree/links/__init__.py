"""Red-cell links (member → household, ORG-08) and guidance links (cadre → member, ORG-09) with contact logs."""
