"""`deident review SRC DST`: a local page to review a folder run before it is shared, decide
on what was replaced or left, approve, and sign off (see session.py and server.py)."""
