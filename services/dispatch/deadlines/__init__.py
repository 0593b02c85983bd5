"""Clocks that run out (DSP-05, DSP-16): the sweep that fires each due ``deadline`` row exactly once, the yellow and
red warnings it gives, and a ticket's clocks over HTTP. The clocks themselves (which run in each status, the
working calendar) are ``clocks/``, a leaf this folder builds on."""
