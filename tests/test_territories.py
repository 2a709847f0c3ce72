"""One territories table: codes, names and spellings agree for every reader."""

from __future__ import annotations

import pytest

from riskcheck import territories
from riskcheck.match.tokens import COUNTRY, analyze_org


def test_every_iso_code_once_with_its_alpha3() -> None:
    codes = territories.iso_codes()
    assert len(codes) == 249 and "XK" not in codes
    assert codes["NO"] == "Norway"  # quoted key: YAML 1.1 would read a bare NO as false
    assert territories.get("XK").user_assigned
    assert territories.code_of("CHN") == "CN" and territories.code_of("RUS") == "RU"


@pytest.mark.parametrize(("text", "code"), [
    ("Korea, North", "KP"), ("Iran (Islamic Republic of)", "IR"), ("RUSSIAN FEDERATION", "RU"),
    ("Россия", "RU"), ("中国", "CN"), ("People's Republic of China", "CN"), ("Samoa", "WS"),
    ("American Samoa", "AS"), ("British Virgin Islands", "VG"), ("Virgin Islands (U.S.)", "VI"),
    ("Congo", "CG"), ("DR Congo", "CD"), ("the Bahamas", "BS"), ("Kosovo", "XK"),
])
def test_names_as_lists_and_people_write_them(text: str, code: str) -> None:
    assert territories.code_of(text) == code
    assert territories.user_code(text) == code


def test_ambiguous_names_are_not_names() -> None:
    assert territories.code_of("Virgin Islands") is None


def test_codes_people_type_in_any_case_but_list_codes_only_in_upper_case() -> None:
    assert territories.user_code("cn") == "CN" and territories.user_code("usa") == "US"
    assert territories.code_of("cn") is None
    assert territories.user_code("Atlantis") is None


def test_a_name_under_two_codes_is_refused(tmp_path, monkeypatch) -> None:
    from riskcheck.errors import DataError

    (tmp_path / "territories.yaml").write_text(
        'territories:\n  "WS": {name: Samoa}\n  "AS": {name: American Samoa, names: [Samoa]}\n',
        encoding="utf-8")
    monkeypatch.setattr(territories, "lists_dir", lambda: tmp_path)
    territories._load.cache_clear()
    try:
        with pytest.raises(DataError, match="also WS"):
            territories._load()
    finally:
        territories._load.cache_clear()


def test_the_matcher_reads_country_words_from_the_same_table() -> None:
    tokens = analyze_org("Rosneft Россия")
    assert any(t.kind == COUNTRY and t.key == "!RU" for t in tokens)
