"""Global options work after the subcommand as well as before it."""

from __future__ import annotations

import pytest

from riskcheck.cli import _globals_first, main


@pytest.mark.parametrize("args,expected", [
    (["check", "x.yaml", "-q"], ["-q", "check", "x.yaml"]),
    (["lists", "status", "--no-color", "--quiet"], ["--no-color", "--quiet", "lists", "status"]),
    (["-q", "check", "x.yaml"], ["-q", "check", "x.yaml"]),
    (["screen", "--", "-q"], ["screen", "--", "-q"]),
])
def test_global_flags_move_before_the_command(args: list[str], expected: list[str]) -> None:
    assert _globals_first(args) == expected


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_accepts_global_flags_after_the_manifest(
        capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RISKCHECK_DATA_DIR", str(tmp_path / "data"))
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("version: 1\nproject:\n  name: g\nmodels:\n  - id: gpt-4o\n",
                        encoding="utf-8")
    codes = []
    for tail in (["-q"], ["--no-color"], ["--quiet", "--no-color"]):
        with pytest.raises(SystemExit) as done:
            main(["check", str(manifest), "--bundled", "--offline", "-f", "json", *tail])
        codes.append(done.value.code)
        captured = capsys.readouterr()
        assert "No such option" not in captured.err and captured.out.startswith("{")
    assert set(codes) == {0}
