"""A ticket's clocks as ``deadline`` rows: which run in each status (``timers``) and the district's working
calendar they may count on (``calendar``). A leaf: tickets, routing, escalation and deadlines build on it."""
