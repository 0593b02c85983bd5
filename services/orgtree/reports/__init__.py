"""Reports over the trees: network roll-up (ORG-12), red-cell coverage (ORG-08), guidance (ORG-09), posts (ORG-14)."""
