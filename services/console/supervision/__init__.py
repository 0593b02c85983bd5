"""Supervision (督办): cases by ladder rung and deadline, and the 三率 per unit and period."""
