"""The escalation ladder (DSP-14), referral notices (DSP-15) and extensions of time limits."""
