"""What a scanner or a person types at the counter's case search, reduced to the key it names."""

from __future__ import annotations

from desk_app.services.cases.search import search_key


def test_a_scanned_progress_url_gives_its_last_segment():
    assert search_key("https://hall.example.gov.cn/q/abc-123\n") == "abc-123"
    assert search_key("https://hall.example.gov.cn/q/YJS-20270101-0001/?x=1#y") == (
        "YJS-20270101-0001"
    )
    assert search_key("https://hall.example.gov.cn/q/A%20B") == "A B"


def test_typed_numbers_pass_through_trimmed():
    assert search_key("  YJS-20270101-0001 ") == "YJS-20270101-0001"
    assert search_key("") == "" and search_key("https://hall.example.gov.cn/") == ""
