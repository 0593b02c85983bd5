"""档案管理: retention, disposal, deletion with its log and legal holds of the district's documents."""
