"""Member care (TRN-04, TRN-05): mobile members' certificate reviews with their deadlines and overdue tasks, and
the re-education cases of warned members."""
