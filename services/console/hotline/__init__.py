"""热线设置: the district admin's hotline settings (issue 15, item 7)."""
