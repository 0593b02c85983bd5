"""Campaign days (DSP-13) in the console: the month's calendar, each day's roster and the people served."""
