"""Shared fixtures: a fresh hall database on SQLite (always) and PostgreSQL (DESK_APP_TEST_PG)."""

from __future__ import annotations

import base64
import gc
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import add_staff

# The ``twin`` fixture (a second hall database) of the queue's two-version comparisons.
pytest_plugins = ["tests.queue_twins"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Personal data is sealed under the hall key: the suite (and the commands it starts) use a key
# of its own, never a key file of the machine's user. Tests of the key file set their own.
os.environ["DESK_APP_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
# The reference backend seals personal data at rest; its key for the suite (and its servers).
os.environ["CENTRAL_REF_DATA_KEY"] = base64.b64encode(os.urandom(32)).decode()
# Nor the user's data folder: a command run without --db gets a hall.db of the suite's own.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="desk-app-tests-")
os.environ.pop("DESK_APP_KEY_FILE", None)
for _name in ("DESK_APP_USER", "DESK_APP_PASSWORD"):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2's cheapest profile in this process: log-ins in tests take microseconds, not
    100 ms each (production keeps RFC 9106's low-memory profile)."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from desk_app.security import passwords

    previous = passwords.set_default_hasher(PasswordHasher.from_parameters(CHEAPEST))
    yield
    passwords.set_default_hasher(previous)


PG_URL = os.environ.get("DESK_APP_TEST_PG")


def _pg_admin_url() -> str:
    assert PG_URL
    return PG_URL


@pytest.fixture
def pg_url(request) -> Iterator[str]:
    """A new PostgreSQL database for one test, dropped afterwards: empty, or a copy of the
    migrated template when the test uses ``db`` (one CREATE DATABASE either way)."""
    if not PG_URL:
        pytest.skip(
            "PostgreSQL tests need DESK_APP_TEST_PG (e.g. postgresql+psycopg://root@127.0.0.1:5432/test)"
        )
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    template = (
        request.getfixturevalue("migrated_pg_template") if "db" in request.fixturenames else None
    )
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"desk_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:  # fails loudly when the server is missing: PG was asked for
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path, request) -> str:
    """A SQLite file for one test: none yet, or a copy of the migrated template when the test
    uses ``db`` (a millisecond instead of running every migration)."""
    path = tmp_path / "hall.db"
    if "db" in request.fixturenames:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request) -> str:
    """Each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def _test_admin():
    from desk_app.security.roles import Actor, Role

    return Actor(staff_id=None, code="tester", role=Role.ADMIN)


TEST_ADMIN = _test_admin()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to the head, copied for each test (a copy takes a millisecond,
    running every migration a few hundred): the ``db`` fixture's SQLite starting point."""
    from desk_app.store import Database
    from desk_app.store.schema import upgrade

    path = tmp_path_factory.mktemp("template") / "hall.db"
    template = Database(f"sqlite:///{path}")
    upgrade(template)
    template.dispose()
    assert (
        not path.with_name("hall.db-wal").exists()
        or not path.with_name("hall.db-wal").stat().st_size
    )
    return path


@pytest.fixture(scope="session")
def migrated_pg_template() -> Iterator[str]:
    """One PostgreSQL database migrated to the head, the template each ``db`` test's database is
    created from (about 50 ms instead of the migrations' most of a second)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from desk_app.store import Database
    from desk_app.store.schema import upgrade

    name = f"desk_tpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    template = Database(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    upgrade(template)
    template.dispose()  # a template must have no open connection while it is copied
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(db_url):
    """A hall database at the schema's head (copied from a migrated template) acting as an
    admin."""
    from desk_app.store import Database
    from desk_app.store.schema import upgrade

    database = Database(db_url)
    upgrade(database)  # at the head already: one query
    # Tests of the rules act as an admin; the permission tests bind other people themselves.
    yield database.acting_as(TEST_ADMIN)
    database.dispose()


@pytest.fixture
def small_hall(db):
    """Two services, three windows, three staff; windows 1 and 2 open."""
    from desk_app.services.hall import setup as hall

    hall.add_service(db, "newborn", "新生儿出生一件事", "A")
    hall.add_service(db, "retirement", "退休一件事", "B")
    hall.add_window(db, 1, ["newborn", "retirement"])
    hall.add_window(db, 2, ["retirement"])
    hall.add_window(db, 3, ["newborn"], calling_rule="service_order:1/1")
    for code, name in (("s01", "王芳"), ("s02", "李强"), ("s03", "张静")):
        add_staff(db, code, name)
    hall.open_window(db, 1, "s01")
    hall.open_window(db, 2, "s02")
    return db


@pytest.fixture(autouse=True)
def _garbage_collected_before_screens(request: pytest.FixtureRequest) -> None:
    """A screen's test starts with the earlier tests' garbage collected, while none of its
    worker threads runs. Left to chance, a collection ran inside a test's event loop while two
    screen workers were talking to PostgreSQL, and the worker process died (a segmentation
    fault in a weakref callback of the collection, once in a full run): engines, sessions and
    Qt wrappers of finished tests are freed here instead, at a quiet moment. The cause of that
    crash is not found."""
    if request.node.get_closest_marker("gui") is not None:
        gc.collect()
        # What survives is the suite's own (modules, fixtures' caches): set aside, so the next
        # screen test collects only what was made since, not the whole heap again (that made
        # the suite three minutes longer).
        gc.freeze()


@pytest.fixture(autouse=True)
def _shipped_catalog_in_force() -> Iterator[None]:
    """The catalog in force is per process (a hall's published version, once a command or a
    screen read it from its database): each test starts and ends with the shipped one."""
    from desk_app.services.common.catalog import activate

    activate(None)
    yield
    activate(None)
