"""Roster: see ARCHITECTURE.md."""
