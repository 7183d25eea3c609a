"""Offline: see ARCHITECTURE.md."""
