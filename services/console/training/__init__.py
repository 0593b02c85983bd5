"""Training records (学习培训): the programme catalogue and its sessions, the organiser's check-in screen, the
member's phone check-in, a person's credit hours and points, and the people below target per unit."""
