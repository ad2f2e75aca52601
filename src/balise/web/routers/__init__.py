"""The routers of every capability; ``balise.capabilities`` lists which are mounted, in which order.

A router parses the request, calls its package's service and renders; ``tests/web/test_walls.py``
fails when one queries the database, opens a session or a thread, or calls a model server.
"""
