"""The committed OpenAPI document is the contract: it must equal what the server serves."""

from __future__ import annotations

import json

from central_ref.app import create_app, openapi_text
from central_ref.openapi import DOCUMENT


def test_committed_openapi_matches_the_app(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"t1"}, fail_rate=0.5, latency_ms=5)
    committed = DOCUMENT.read_text(encoding="utf-8")
    # On failure: python -m central_ref.openapi, review the diff, commit it with the change.
    assert json.loads(committed) == app.openapi()
    assert committed == openapi_text(app.openapi())


def test_openapi_is_served_and_documents_the_contract(tmp_path):
    from starlette.testclient import TestClient

    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", {"t1"})
    with TestClient(app) as client:
        served = client.get("/openapi.json").json()
    paths = served["paths"]
    assert set(paths) == {
        "/api/v1/health",
        "/api/v1/cases/batch",
        "/api/v1/cases/{uuid}",
        "/api/v1/cases",
        "/api/v1/digest",
        "/api/v1/digest/days",
        "/api/v1/appointments/quota",
        "/api/v1/appointments/bookings",
        "/api/v1/appointments/outcomes",
        "/api/v1/appointments/cancellations",
        "/public/v1/halls/{hall}/bookings/{code}/cancel",
        "/public/v1/halls/{hall}/slots",
        "/public/v1/halls/{hall}/bookings",
        "/api/v1/audit/head",
        "/api/v1/catalog/latest",
        "/api/v1/eid/resolve",
        "/api/v1/cases/{case_uuid}/files/{file_id}",
        "/api/v1/share/resources",
        "/api/v1/share/calls",
        "/api/v1/share/_faults",
        "/api/v1/share/{resource}",
        "/api/v1/applications",
        "/api/v1/applications/{app_id}/files/{index}",
        "/api/v1/applications/{app_id}/states",
        "/public/v1/halls/{hall}/applications",
        "/public/v1/applications/{app_id}",
        "/api/v1/workorders",
        "/api/v1/workorders/{wo_id}",
        "/api/v1/workorders/{wo_id}/events",
    }
    assert "security" not in paths["/api/v1/health"]["get"]
    assert paths["/api/v1/cases/batch"]["post"]["security"] == [{"WorkstationToken": []}]
    schemas = served["components"]["schemas"]
    assert schemas["BatchIn"]["properties"]["cases"]["items"] == {
        "$ref": "#/components/schemas/CaseIn"
    }
    assert set(schemas["CaseIn"]["required"]) == {"uuid", "case_no", "concluded_at", "payload"}
    file_put = paths["/api/v1/cases/{case_uuid}/files/{file_id}"]["put"]
    assert file_put["security"] == [{"WorkstationToken": []}]
    assert {"200", "403", "404", "409", "413", "422"} <= set(file_put["responses"])
    assert "application/octet-stream" in file_put["requestBody"]["content"]
    submit = paths["/public/v1/halls/{hall}/applications"]["post"]
    assert "security" not in submit and {"201", "413", "422"} <= set(submit["responses"])
    body = submit["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"bundle", "mode", "applicant"}
    assert paths["/api/v1/workorders"]["post"]["security"] == [{"WorkstationToken": []}]
    put_responses = paths["/api/v1/cases/{uuid}"]["put"]["responses"]
    assert {"200", "201", "401", "409", "422"} <= set(put_responses)
