"""Team server in the window (issue 16): File › Connect to Team Server, Sync, the status indicator.

Everything that talks to the server runs off the GUI thread (``worker.run_in_thread``); the
project file is read and written on the GUI thread, as every other edit is.
"""
