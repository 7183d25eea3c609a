"""The cluster's network in the window (issue 12): links table dock, link mode, link form, the map's
link layer and its legend; every link edit is one undoable command."""
