"""Shell: see ARCHITECTURE.md."""
