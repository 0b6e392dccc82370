"""The demo hall's services are the catalog's bundles."""

from __future__ import annotations

from desk_app.domain.catalog import load_catalog
from desk_app.services.demo.seed import DEMO_SERVICES


def test_demo_services_are_catalog_bundles():
    cat = load_catalog()
    for code, name, *_ in DEMO_SERVICES:
        assert cat.bundle(code).name == name
