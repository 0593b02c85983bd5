"""The village micro-fund (DSP-23): donations in, disbursements out for a wish or a case, never below zero."""
