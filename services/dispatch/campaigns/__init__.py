"""Campaign days (DSP-13): the monthly mass-service day and red-vest Tuesdays, their rosters and people served."""
