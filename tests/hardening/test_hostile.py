"""Hostile files: XML entities (every XML parser), unsafe zips, hostile repositories for
``riskcheck scan``, and secrets in URLs (never printed)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from riskcheck.errors import RiskcheckError
from riskcheck.lists.parsers import PARSERS, get_parser
from tests.hardening.conftest import ASSETS, assert_one_line_error, cli_env, run_cli
from tests.hardening.faultserver import FaultServer

XML_FORMATS = {"ofac_enhanced_xml": "sanctionsData", "eu_fsf_xml": "export",
               "uk_sanctions_list": "Designations", "un_sc_xml": "CONSOLIDATED_LIST"}
SECRET_FILE_TEXT = "riskcheck-hardening-secret-0xC0FFEE"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A local file an external entity would try to pull in."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_FILE_TEXT)
    return path


def test_every_xml_format_is_covered() -> None:
    """A new XML format must be added to the hostile-XML tests."""
    xml_like = {fmt for fmt in PARSERS if "xml" in fmt or fmt == "uk_sanctions_list"}
    assert xml_like == set(XML_FORMATS)


@pytest.mark.parametrize("format_id", sorted(XML_FORMATS))
@pytest.mark.parametrize("attack", ["external_entity", "entity_expansion", "external_dtd",
                                    "parameter_entity"])
def test_xml_entities_are_refused(format_id: str, attack: str, secret_file: Path,
                                  tmp_path: Path) -> None:
    """No XML parser resolves entities or DTDs: a ListDataError, the secret never read."""
    root = XML_FORMATS[format_id]
    dtd = {
        "external_entity": f'<!ENTITY x SYSTEM "file://{secret_file}">',
        "entity_expansion": '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                            '<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">',
        "external_dtd": "",
        "parameter_entity": f'<!ENTITY % p SYSTEM "file://{secret_file}"> %p;',
    }[attack]
    doctype = (f'<!DOCTYPE {root} SYSTEM "file://{secret_file}">' if attack == "external_dtd"
               else f"<!DOCTYPE {root} [{dtd}]>")
    body = "&x;" if attack in ("external_entity", "entity_expansion") else "x"
    path = tmp_path / "list.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<{root}>{body}</{root}>\n')
    with pytest.raises(RiskcheckError) as caught:
        list(get_parser(format_id, "hostile").parse({"main": path}))
    assert SECRET_FILE_TEXT not in str(caught.value)
    assert "\n" not in str(caught.value)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONS = (ASSETS / "ofac" / "cons_enhanced.xml").read_bytes()


@pytest.mark.parametrize("name,payload,fragment", [
    ("traversal", _zip({"../../escaped.xml": CONS}), "unsafe member path"),
    ("absolute", _zip({"/tmp/escaped.xml": CONS}), "unsafe member path"),
    ("ratio_bomb", _zip({"CONS_ENHANCED.XML": b"<a>" + b" " * 20_000_000 + b"</a>"}),
     "decompression bomb"),
    ("many_members", _zip({f"m{i}.xml": b"<a/>" for i in range(100)}), "more than"),
])
def test_unsafe_zips_are_rejected_before_extraction(name: str, payload: bytes, fragment: str,
                                                    tmp_path: Path, good_store: Path) -> None:
    """``lists import ofac_cons`` of an unsafe CONS_ENHANCED.ZIP: exit 3, nothing written
    outside the work folder."""
    from tests.hardening.conftest import store_state

    archive = tmp_path / "work" / "CONS_ENHANCED.ZIP"
    archive.parent.mkdir()
    archive.write_bytes(payload)
    before = store_state(good_store)
    result = run_cli(["lists", "import", "ofac_cons", f"main={archive}", "--data-dir",
                      str(good_store)])
    assert_one_line_error(result, code=3, fragment=fragment)
    assert not (tmp_path / "escaped.xml").exists() and not Path("/tmp/escaped.xml").exists()
    assert store_state(good_store) == before


def test_scan_of_a_hostile_repository(tmp_path: Path) -> None:
    """Symlink loops, links out of the tree, a FIFO and a gigantic sparse file: each skipped
    with a reason, the real reference still found, nothing outside the tree read."""
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "app.py").write_text('from transformers import AutoModel\n'
                                 'AutoModel.from_pretrained("Qwen/Qwen2.5-7B-Instruct")\n')
    outside = tmp_path / "outside.py"
    outside.write_text('AutoModel.from_pretrained("deepseek-ai/DeepSeek-V3")\n')
    (repo / "loop1").symlink_to("loop2")
    (repo / "loop2").symlink_to("loop1")
    (repo / "escape.py").symlink_to(outside)
    (repo / "sub" / "up").symlink_to("..")
    (repo / "rootdir").symlink_to("/")
    os.mkfifo(repo / "pipe.py")
    with (repo / "huge.py").open("wb") as handle:
        handle.truncate(3 * 1024 ** 3)  # sparse: costs no disk
    result = run_cli(["scan", str(repo), "--format", "json"], timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    ids = {ref["id"] for ref in data["references"]}
    assert "Qwen/Qwen2.5-7B-Instruct" in ids
    assert "deepseek-ai/DeepSeek-V3" not in ids, "a symlink out of the tree was followed"
    reasons = {item["path"]: item["reason"] for item in data["skipped"]}
    assert "loop" in reasons["loop1"] and "loop" in reasons["loop2"]
    assert "out of the tree" in reasons["escape.py"]
    assert "out of the tree" in reasons["rootdir"]
    assert "regular file" in reasons["pipe.py"]
    assert "larger than" in reasons["huge.py"]


# --- secrets in URLs ---------------------------------------------------------------------

SECRETS = ("s3cr3tpass", "TOKEN0123456789", "webhooksecret42")


def _no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked: {text[:400]}"


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("mode", ["500", "html", "ok"])
def test_update_never_prints_url_credentials(mode: str, good_store: Path) -> None:
    """Mirror user:password and ?token= never appear in update output, errors or status."""
    with FaultServer({"consolidated.csv": (ASSETS / "csl" / "consolidated.csv").read_bytes()
                      .replace(b"EXAMPLE", b"EXEMPLAR")}) as server:
        host = server.url.split("//", 1)[1]
        config = good_store / "config.yaml"
        # A per-file URL carrying a password and a token.
        text = config.read_text().replace(
            "  us_csl: {min_records: 1}\n",
            "  us_csl:\n    min_records: 1\n    files:\n      main: "
            f"http://user:s3cr3tpass@{host}/{mode}/consolidated.csv?token=TOKEN0123456789\n")
        assert "s3cr3tpass" in text, "the config override was not applied"
        config.write_text(text)
        update = run_cli(["lists", "update", "us_csl", "--format", "json", "--data-dir",
                          str(good_store)], env=cli_env(), timeout=120)
        status = run_cli(["lists", "status", "--format", "json", "--data-dir", str(good_store)])
        table = run_cli(["lists", "status", "--data-dir", str(good_store)])
    assert "Traceback" not in update.stderr
    _no_secret(update.stdout, update.stderr, status.stdout, status.stderr, table.stdout)


def test_status_json_never_prints_the_eu_token(tmp_path: Path) -> None:
    """The EU download token (RISKCHECK_EU_TOKEN) is redacted from ``lists status`` JSON even
    when nothing is stored yet. Known bug in riskcheck/cli/lists.py (status prints the
    catalogue URL unredacted for missing sources)."""
    result = run_cli(["lists", "status", "--format", "json", "--data-dir", str(tmp_path)],
                     env=cli_env(RISKCHECK_EU_TOKEN="TOKEN0123456789"))
    assert result.returncode == 0, result.stderr
    _no_secret(result.stdout, result.stderr)


@pytest.mark.parametrize("webhook", [
    "http://user:webhooksecret42@127.0.0.1:9/hook",
    "http://127.0.0.1:9/hook?token=webhooksecret42",
    "http://127.0.0.1:9/services/T000/B000/webhooksecret42",
])
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_watch_webhook_errors_never_print_secrets(webhook: str, tmp_path: Path,
                                                  good_store: Path) -> None:
    """A failing webhook: one line (exit 3) without the credential, token or path secret."""
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("models:\n  - id: Qwen/Qwen2.5-7B-Instruct\n    usage: self-hosted\n")
    result = run_cli(["watch", str(manifest), "--no-update", "--webhook", webhook,
                      "--format", "json", "--data-dir", str(good_store)],
                     env=cli_env(HF_HUB_OFFLINE="1", RISKCHECK_OFFLINE="1"), timeout=120)
    assert "Traceback" not in result.stderr
    assert result.returncode == 3, result.stderr
    _no_secret(result.stdout, result.stderr)
