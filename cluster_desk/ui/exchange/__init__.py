"""Exchange: see ARCHITECTURE.md."""
