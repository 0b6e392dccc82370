"""Reference implementation of the central (city/province) backend's case-sync API.

A test double for development, tests and demos: the desk client's sync worker talks to it
exactly as it would to the real platform. ``central-ref serve`` starts it (see ``cli.py``);
the contract is the committed ``openapi.json`` beside this file and ``docs/central-api.md``.

This package is deliberately independent of ``desk_app``: it has its own store and schema, and
it never imports the client, so the client cannot accidentally share code with its server.
Importing the package itself pulls in neither FastAPI nor uvicorn (``stats`` runs without them).
"""

from __future__ import annotations

API_VERSION = "1.0.0"
