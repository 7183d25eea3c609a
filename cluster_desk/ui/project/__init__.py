"""Project: see ARCHITECTURE.md."""
