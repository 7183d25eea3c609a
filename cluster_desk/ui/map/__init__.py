"""Map: see ARCHITECTURE.md."""
