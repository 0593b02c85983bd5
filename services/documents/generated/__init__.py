"""Generated documents (DOC-03): per-district templates, rendered to PDF with an embedded CJK font from the events
that call for them: a referral notice (EVT-03), an award certificate (EVT-13), a monthly report (EVT-16)."""
