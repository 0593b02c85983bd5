"""Bulk import and export of units, members, households and member → household links (.xlsx and .csv).

An import validates every row first and stores nothing unless every row is right; a valid file is
written in the request's one transaction with bulk inserts. An export covers the caller's scope only,
masks personal data and uses the column layout the importer reads.
"""
