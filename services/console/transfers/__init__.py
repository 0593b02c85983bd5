"""跨区县转移: a district admin's offers of members to other districts, and the offers addressed to the district."""
