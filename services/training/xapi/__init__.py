"""xAPI 1.0.3 (issue 13, item 11): attendance and pre-service completions as statements, the LRS read API over
them, and their push to the district's own learning record store."""
