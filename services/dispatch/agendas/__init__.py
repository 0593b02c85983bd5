"""Meeting agendas (DSP-21): each level's meeting gets its open cases; its outcomes are applied to them."""
