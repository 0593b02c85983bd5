"""Imports: check every row, report every problem by row and column, and store only a file without any.

The flow is the same for each kind (``frame``): match the header row to the kind's columns, check each
row on its own (formats, enumerations, ID check characters, units by name path inside the caller's view),
then check the rows against each other and against what is stored (duplicates through the blind
index, link ranges). Any problem: a 422 listing them, nothing written. Otherwise the rows go in with
bulk INSERTs in the request's transaction (units through ``NodeService.create_child``, so the same
rules apply as for one unit added through the API), followed by one audit entry holding only counts.
One module per kind holds its checks and writes: ``units``, ``members``, ``households``, ``links``.
"""
