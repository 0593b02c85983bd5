"""Meeting agendas (DSP-21) in the console: meetings, the open cases on each agenda, and the outcomes applied."""
