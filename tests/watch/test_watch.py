"""`riskcheck watch` through two list versions served by a local HTTP server.

The second version adds an entity that is the vendor of a model in the manifest: the watch
must report it as new, alert (exit 1), deliver the webhook, and keep state across runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from werkzeug.wrappers import Request, Response

from riskcheck.lists.catalogue import load_catalogue

BEFORE = "name,aliases,country,type,reason,listed_on,id\n" \
         "Acme Widgets Ltd,,GB,organisation,internal denial,2024-01-10,W-1\n"
AFTER = BEFORE + ("Mistral AI SAS,Mistral AI,FR,organisation,"
                  "added to the internal deny list,2026-11-20,W-2\n")


def riskcheck(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("riskcheck")
    command = [exe] if exe else [sys.executable, "-m", "riskcheck"]
    env = dict(os.environ, RISKCHECK_DATA_DIR=str(data_dir))
    env.pop("RISKCHECK_OFFLINE", None)
    env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(command + list(args), capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture()
def project(tmp_path: Path, httpserver) -> dict:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shipped = load_catalogue(tmp_path / "empty").sources
    config = {
        # Only the test list is screened: no shipped source may reach for the internet.
        "sources": {source.id: {"enabled": False} for source in shipped},
        "custom": [{
            "id": "custom_watchlist",
            "title": "Internal watch list",
            "format": "custom_csv",
            "files": {"main": httpserver.url_for("/watchlist.csv")},
        }],
    }
    (data_dir / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(
        "project: {name: agents}\n"
        "policy: {fail_on: medium}\n"
        "models:\n"
        "  - id: mistral-large-latest\n"
        "    usage: api\n"
        "    base_url: https://api.mistral.ai/v1\n"
        "  - id: meta-llama/Llama-3.1-8B-Instruct\n",
        encoding="utf-8")
    state = {"list": BEFORE, "list_status": 200, "hook_status": 200, "hooks": [], "moved": []}

    def watchlist(request: Request) -> Response:
        return Response(state["list"], status=state["list_status"], content_type="text/csv")

    def hook(request: Request) -> Response:
        state["hooks"].append(json.loads(request.get_data()))
        return Response("ok", status=state["hook_status"],
                        headers={"Location": httpserver.url_for("/moved")})

    def moved(request: Request) -> Response:
        state["moved"].append(request.method)
        return Response("ok", status=200)

    httpserver.expect_request("/moved").respond_with_handler(moved)
    httpserver.expect_request("/watchlist.csv").respond_with_handler(watchlist)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    state.update(data_dir=data_dir, manifest=manifest, hook_url=httpserver.url_for("/hook"))
    return state


def run_watch(project: dict, *extra: str, hook: str | None = None) -> subprocess.CompletedProcess[str]:
    return riskcheck("watch", str(project["manifest"]), "--format", "json",
                     "--webhook", hook or project["hook_url"], *extra, data_dir=project["data_dir"])


def new_matches(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return [c for c in json.loads(result.stdout)["changes"] if c["kind"] == "new-match"]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_watch_reports_a_new_listing_once(project: dict) -> None:
    first = run_watch(project)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["first_run"] is True
    assert new_matches(first) == []

    project["list"] = AFTER
    second = run_watch(project)
    assert second.returncode == 1, second.stdout + second.stderr
    new = new_matches(second)
    assert len(new) == 1, new
    assert "Mistral" in new[0]["summary"] and new[0]["model"] == "mistral-large-latest"
    assert json.loads(second.stdout)["alert"] is True
    delivered = project["hooks"][-1]
    assert delivered["alert"] is True and delivered["schema_version"] == "1.0"
    assert any(c["kind"] == "new-match" for c in delivered["changes"])

    third = run_watch(project)
    assert third.returncode == 0, third.stdout + third.stderr
    assert new_matches(third) == []


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_failed_webhook_keeps_previous_state(project: dict) -> None:
    assert run_watch(project).returncode == 0
    project["list"] = AFTER
    project["hook_status"] = 500
    failed = riskcheck("watch", str(project["manifest"]), "--webhook",
                       project["hook_url"] + "?token=s3cret", data_dir=project["data_dir"])
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert "s3cret" not in failed.stderr and "token=***" in failed.stderr
    assert len([line for line in failed.stderr.splitlines() if line.strip()]) == 1
    # The change was not delivered, so the next run reports it again.
    project["hook_status"] = 200
    again = run_watch(project, "--no-update")
    assert again.returncode == 1, again.stdout + again.stderr
    assert len(new_matches(again)) == 1


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_watch_timeout_bounds_a_trickling_list_download(project: dict, httpserver) -> None:
    import time

    def trickle(request: Request) -> Response:
        def body():  # headers promise 100 kB, then a byte every 0.1 s (for at most 3 s)
            for _ in range(30):
                yield b"x"
                time.sleep(0.1)
        return Response(body(), content_type="text/csv", headers={"Content-Length": "100000"})

    httpserver.clear()
    httpserver.expect_request("/watchlist.csv").respond_with_handler(trickle)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    # Uncut, the body ends after 3 s short of its Content-Length ("truncated"); only the
    # 1 s deadline gives this message.
    result = run_watch(project, "--timeout", "1")
    assert "custom_watchlist" in result.stderr and "1 s limit" in result.stderr, result.stderr


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirected_webhook_is_not_a_delivery(project: dict, status: int) -> None:
    assert run_watch(project).returncode == 0
    project["list"] = AFTER
    project["hook_status"] = status
    failed = riskcheck("watch", str(project["manifest"]), "--webhook",
                       project["hook_url"] + "?token=s3cret", data_dir=project["data_dir"])
    assert failed.returncode == 3, failed.stdout + failed.stderr
    errors = [line for line in failed.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, failed.stderr
    assert f"HTTP {status}" in errors[0] and "token=***" in errors[0] and "s3cret" not in errors[0]
    assert project["moved"] == []  # the redirect was not followed
    # Nothing was delivered, so the state was not saved and the next run reports the change.
    project["hook_status"] = 200
    again = run_watch(project, "--no-update")
    assert again.returncode == 1, again.stdout + again.stderr
    assert len(new_matches(again)) == 1
    assert any(c["kind"] == "new-match" for c in project["hooks"][-1]["changes"])


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_failed_list_updates_are_in_the_payload_and_the_exit_code(project: dict) -> None:
    first = run_watch(project)
    assert first.returncode == 0, first.stderr
    assert project["hooks"][-1]["update_failures"] == []
    project["list_status"] = 500
    failed = run_watch(project)
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert "every list update failed (custom_watchlist)" in failed.stderr
    delivered = project["hooks"][-1]["update_failures"]
    assert [f["source"] for f in delivered] == ["custom_watchlist"], delivered
    assert delivered[0]["required"] is False and delivered[0]["message"]
    assert json.loads(failed.stdout)["update_failures"]
    # Once the list downloads again the run is clean.
    project["list_status"] = 200
    assert run_watch(project).returncode == 0


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_a_failed_required_list_exits_3_even_when_others_updated(project: dict, httpserver) -> None:
    config_path = project["data_dir"] / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["custom"].append({"id": "custom_required", "title": "Required list",
                             "format": "custom_csv", "required_for_fresh": True,
                             "files": {"main": httpserver.url_for("/required.csv")}})
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    httpserver.expect_request("/required.csv").respond_with_data("gone", status=404)
    result = run_watch(project)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "required list update failed: custom_required" in result.stderr
    delivered = project["hooks"][-1]["update_failures"]
    assert [(f["source"], f["required"]) for f in delivered] == [("custom_required", True)]
