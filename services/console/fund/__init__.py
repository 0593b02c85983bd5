"""The village micro-fund (DSP-23) in the console: each village's balance, its ledger, donations and payments."""
