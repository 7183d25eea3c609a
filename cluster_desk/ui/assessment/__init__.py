"""Assessment: see ARCHITECTURE.md."""
