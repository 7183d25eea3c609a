"""Small widgets more than one part of the window uses (the filter bar over a table, the choice
cell editor)."""
