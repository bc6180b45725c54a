"""The browser app (Solara), served offline by ``citypeace app``.

- ``page``: the Solara page, widgets wired to the views.
- ``views``: plain functions that build the figures and tables (tested without a browser).
- ``serve``: ``citypeace app``, the offline server.
"""
