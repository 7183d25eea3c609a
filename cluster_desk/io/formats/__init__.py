"""Readers and writers, one module per file format (the roster logic is in cluster_desk.io.roster)."""
