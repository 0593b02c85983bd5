"""The volunteer's phone page (``/console/volunteer``): offers to answer, tasks, the time bank, micro-wishes."""
