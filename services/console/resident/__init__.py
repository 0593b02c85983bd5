"""The resident's page (``/console/r/<district>/``): no account; a request proven by an SMS code, followed by
its number and follow code, and feedback once it is resolved."""
