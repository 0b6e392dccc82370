"""The central token never leaks: a token with a line break (a token file saved on Windows) is
refused in one line when configured, and no error text that can carry the header is kept."""

from __future__ import annotations

import pytest

from desk_app.cli import main
from desk_app.sync.client import CentralClient, CentralError
from desk_app.sync.config import SyncConfig, SyncConfigError

URL = "http://127.0.0.1:9"  # discard: nothing is ever sent in these tests
SECRET = "SEKRIT-7f3a9c"


@pytest.mark.parametrize(
    "token", [SECRET + "\r", SECRET + "\r\n", " " + SECRET, "a b", "x\x00y", ""]
)
def test_a_token_with_whitespace_or_control_characters_is_refused(token):
    with pytest.raises(SyncConfigError) as exc:
        CentralClient(SyncConfig(url=URL, token=token or "\t"))
    assert SECRET not in str(exc.value) and "\n" not in str(exc.value)


def test_a_clean_token_is_accepted():
    assert CentralClient(SyncConfig(url=URL, token=SECRET)).http.headers["Authorization"] == (
        "Bearer " + SECRET
    )


def test_sync_run_refuses_the_token_in_one_line(db_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DESK_APP_CENTRAL_URL", URL)
    monkeypatch.setenv("DESK_APP_CENTRAL_TOKEN", SECRET + "\r")
    rc = main(["--db", db_url, "sync", "run", "--once", "--json"])
    out, err = capsys.readouterr()
    assert rc == 2 and err.count("\n") == 1 and "DESK_APP_CENTRAL_TOKEN" in err
    assert SECRET not in out + err


def test_a_header_error_is_reported_without_the_header():
    """Were a bad header to reach the HTTP library anyway, its message (which quotes the
    header, escaped) is not kept."""
    client = CentralClient(SyncConfig(url=URL, token=SECRET))
    client.http.headers["Authorization"] = f"Bearer {SECRET}\r"
    with pytest.raises(CentralError) as exc:
        client.call("GET", "/api/v1/health")
    assert "InvalidHeader" in str(exc.value) and SECRET not in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        f"InvalidHeader: Invalid return character or leading space in header: Authorization "
        f"('Bearer {SECRET}\\\\r')",
        f"header 'Bearer {SECRET}\\r' rejected",
        f"echo: Bearer {SECRET}",
        f"raw {SECRET} in a body",
    ],
)
def test_scrub_removes_the_token_in_every_form(text):
    client = CentralClient(SyncConfig(url=URL, token=SECRET))
    client.config = SyncConfig(url=URL, token=SECRET + "\r")  # as if it had slipped through
    assert SECRET not in client.scrub(text)
