"""Preparing the orgtree for a newly provisioned district."""
