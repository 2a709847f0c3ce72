"""The Hub client against a local server speaking the real ``/api/models`` format."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from riskcheck.resolution.hub import HubClient, default_endpoint, parse_model
from tests.resolution.conftest import hub_document

DAY = 24 * 3600.0


def _client(httpserver: HTTPServer, tmp_path: Path, **kwargs: object) -> HubClient:
    options: dict[str, object] = {"endpoint": httpserver.url_for("").rstrip("/"),
                                  "cache_dir": tmp_path / "hub", "retries": 2,
                                  "backoff_factor": 0.0, "timeout": (2.0, 2.0)}
    options.update(kwargs)
    return HubClient(**options)  # type: ignore[arg-type]


def _serve(httpserver: HTTPServer, repo_id: str, **kwargs: object) -> None:
    httpserver.expect_request(f"/api/models/{repo_id}").respond_with_json(
        hub_document(repo_id, **kwargs))  # type: ignore[arg-type]


def test_parse_model_reads_card_and_tags() -> None:
    doc = hub_document("bartowski/Qwen2.5-7B-Instruct-GGUF", base="Qwen/Qwen2.5-7B-Instruct",
                       tag_relation="quantized")
    model = parse_model(doc)
    assert model is not None
    assert model.author == "bartowski"
    assert model.bases == (("Qwen/Qwen2.5-7B-Instruct", "quantized"),)


def test_parse_model_list_base_and_card_relation() -> None:
    doc = hub_document("Weyaxi/OpenHermes-2.5-neural-chat-v3-3-Slerp",
                       base=["teknium/OpenHermes-2.5-Mistral-7B", "Intel/neural-chat-7b-v3-3"],
                       relation="merge")
    model = parse_model(doc)
    assert model is not None
    assert model.bases == (("teknium/OpenHermes-2.5-Mistral-7B", "merge"),
                           ("Intel/neural-chat-7b-v3-3", "merge"))


def test_parse_model_ignores_junk() -> None:
    doc = hub_document("a/b", base="llama")  # not an org/name id: ignored
    doc["tags"].append("base_model:finetune:not an id")
    model = parse_model(doc)
    assert model is not None and model.bases == ()
    assert parse_model({"id": 7}) is None


def test_follows_base_model_chain(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "bartowski/Qwen2.5-7B-Instruct-GGUF", base="Qwen/Qwen2.5-7B-Instruct",
           tag_relation="quantized")
    _serve(httpserver, "Qwen/Qwen2.5-7B-Instruct", base="Qwen/Qwen2.5-7B",
           tag_relation="finetune")
    _serve(httpserver, "Qwen/Qwen2.5-7B")
    lineage = _client(httpserver, tmp_path).lineage("bartowski/Qwen2.5-7B-Instruct-GGUF")
    assert [(s.model, s.upstream, s.relation, s.source) for s in lineage.steps] == [
        ("bartowski/Qwen2.5-7B-Instruct-GGUF", "Qwen/Qwen2.5-7B-Instruct", "quantized", "hub"),
        ("Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B", "finetune", "hub"),
    ]
    assert lineage.root.status == "found"


def test_cycles_and_depth_are_bounded(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "a/one", base="a/two")
    _serve(httpserver, "a/two", base="a/one")
    assert len(_client(httpserver, tmp_path).lineage("a/one").steps) == 1
    for i in range(10):
        _serve(httpserver, f"chain/m{i}", base=f"chain/m{i + 1}")
    lineage = _client(httpserver, tmp_path).lineage("chain/m0", max_depth=3)
    assert len(lineage.steps) == 3
    assert any("cut at depth 3" in note for note in lineage.notes)


def test_404_is_missing_and_cached(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/models/nobody/nothing").respond_with_json(
        {"error": "Repository not found"}, status=404)
    assert _client(httpserver, tmp_path).model("nobody/nothing").status == "missing"
    assert len(httpserver.log) == 1
    again = _client(httpserver, tmp_path).model("nobody/nothing")
    assert again.status == "missing"
    assert len(httpserver.log) == 1  # the negative answer came from the cache


def test_401_for_unknown_repo_is_missing(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/models/private/thing").respond_with_json(
        {"error": "Invalid username or password."}, status=401)
    assert _client(httpserver, tmp_path).model("private/thing").status == "missing"


def test_500_then_success_is_retried(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_oneshot_request("/api/models/Qwen/Qwen3-8B").respond_with_data(
        "upstream error", status=500)
    _serve(httpserver, "Qwen/Qwen3-8B", base="Qwen/Qwen3-8B-Base", tag_relation="finetune")
    lookup = _client(httpserver, tmp_path).model("Qwen/Qwen3-8B")
    assert lookup.status == "found"
    assert [entry[1].status_code for entry in httpserver.log] == [500, 200]


def test_persistent_500_degrades_without_raising(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/models/Qwen/Qwen3-8B").respond_with_data("no", status=503)
    lookup = _client(httpserver, tmp_path, retries=1).model("Qwen/Qwen3-8B")
    assert lookup.status == "unavailable" and "HTTP 503" in lookup.note
    assert len(httpserver.log) == 2


def test_timeout_degrades_with_a_note(httpserver: HTTPServer, tmp_path: Path) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(hub_document("slow/model")), content_type="application/json")

    httpserver.expect_request("/api/models/slow/model").respond_with_handler(slow)
    lookup = _client(httpserver, tmp_path, retries=0, timeout=(1.0, 0.2)).model("slow/model")
    assert lookup.status == "unavailable"
    assert "Timeout" in lookup.note or "not reachable" in lookup.note


def test_unreachable_endpoint_degrades(tmp_path: Path) -> None:
    client = HubClient(endpoint="http://127.0.0.1:9", cache_dir=tmp_path, retries=0,
                       timeout=(0.5, 0.5))
    lineage = client.lineage("Qwen/Qwen3-8B")
    assert lineage.root.status == "unavailable" and lineage.steps == ()
    assert "not reachable" in lineage.notes[0]
    later = client.model("Qwen/Qwen2.5-7B")  # not retried for every further model
    assert later.status == "unavailable" and "offline: not looked up online" in later.note
    assert client.unreachable.startswith("Hub not reachable")


def test_unreachable_connection_is_not_retried_with_backoff(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network is known at the first refused connection; retries and backoff only stall.

    With three retries and a 10 s backoff factor, a retried connection error would wait
    10 + 20 s; the lookup must come back at once.
    """
    monkeypatch.delenv("RISKCHECK_HTTP_BACKOFF")  # the tests' no-wait setting would hide it
    client = HubClient(endpoint="http://127.0.0.1:9", cache_dir=tmp_path, retries=3,
                       backoff_factor=10.0, timeout=(0.5, 0.5))
    started = time.monotonic()
    assert client.model("Qwen/Qwen3-8B").status == "unavailable"
    assert time.monotonic() - started < 5.0


def test_prefetch_stops_after_one_failed_connection(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client = HubClient(endpoint="http://127.0.0.1:9", cache_dir=tmp_path, retries=0,
                       timeout=(0.5, 0.5))
    asked: list[str] = []
    fetch = client._fetch
    monkeypatch.setattr(client, "_fetch", lambda repo: asked.append(repo) or fetch(repo))
    client.prefetch([f"org/model-{n}" for n in range(20)])
    assert len(asked) == 1
    assert all("offline: not looked up online" in client.model(f"org/model-{n}").note
               for n in range(20))


def test_non_json_answer_degrades(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/api/models/html/page").respond_with_data(
        "<html>captive portal</html>", content_type="text/html")
    assert _client(httpserver, tmp_path).model("html/page").status == "unavailable"


def test_cache_hit_and_expiry(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "Qwen/Qwen3-8B")
    start = 1_800_000_000.0
    assert _client(httpserver, tmp_path, clock=lambda: start).model("Qwen/Qwen3-8B").model
    assert len(httpserver.log) == 1
    fresh = _client(httpserver, tmp_path, clock=lambda: start + 6 * DAY).model("Qwen/Qwen3-8B")
    assert fresh.status == "found" and len(httpserver.log) == 1
    _client(httpserver, tmp_path, clock=lambda: start + 8 * DAY).model("Qwen/Qwen3-8B")
    assert len(httpserver.log) == 2  # older than the 7-day default: fetched again
    files = list((tmp_path / "hub").iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".")  # no temp file left behind


def test_offline_never_touches_the_network(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "Qwen/Qwen3-8B")
    offline = _client(httpserver, tmp_path, offline=True)
    lookup = offline.model("Qwen/Qwen3-8B")
    assert lookup.status == "unavailable" and "offline" in lookup.note
    assert len(httpserver.log) == 0


def test_offline_reads_a_stale_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "Qwen/Qwen3-8B", base="Qwen/Qwen3-8B-Base")
    _client(httpserver, tmp_path, clock=lambda: 0.0).model("Qwen/Qwen3-8B")
    assert len(httpserver.log) == 1
    stale = _client(httpserver, tmp_path, offline=True, clock=lambda: 400 * DAY)
    lookup = stale.model("Qwen/Qwen3-8B")
    assert lookup.status == "found" and "stale" in lookup.note
    assert len(httpserver.log) == 1


def test_corrupt_cache_file_is_refetched(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve(httpserver, "Qwen/Qwen3-8B")
    client = _client(httpserver, tmp_path)
    client.model("Qwen/Qwen3-8B")
    for path in (tmp_path / "hub").iterdir():
        path.write_text("{truncated", encoding="utf-8")
    assert _client(httpserver, tmp_path).model("Qwen/Qwen3-8B").status == "found"
    assert len(httpserver.log) == 2


def test_invalid_repo_id_is_not_requested(httpserver: HTTPServer, tmp_path: Path) -> None:
    assert _client(httpserver, tmp_path).model("../../etc/passwd").status == "unavailable"
    assert len(httpserver.log) == 0


def test_endpoint_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISKCHECK_HF_ENDPOINT", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert default_endpoint() == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example/")
    assert default_endpoint() == "https://hf-mirror.example"
    monkeypatch.setenv("RISKCHECK_HF_ENDPOINT", "http://127.0.0.1:5000")
    assert default_endpoint() == "http://127.0.0.1:5000"


@pytest.mark.parametrize("value,expected", [("", (5.0, 20.0)), ("2", (2.0, 2.0)),
                                            ("10", (5.0, 10.0)), ("abc", (5.0, 20.0)),
                                            ("-1", (5.0, 20.0))])
def test_download_timeout_caps_hub_timeouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            value: str, expected: tuple[float, float]) -> None:
    monkeypatch.setenv("RISKCHECK_DOWNLOAD_TIMEOUT", value)
    assert HubClient(cache_dir=tmp_path).timeout == expected
    assert HubClient(cache_dir=tmp_path, timeout=(1.0, 1.0)).timeout == (1.0, 1.0)
