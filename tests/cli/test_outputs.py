"""Where results are written: checked before the run, all or none, never over a FIFO or device,
with the umask honoured, and a reader closing stdout early is not a failure."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from riskcheck.cli import outputs
from riskcheck.errors import InputError

REPO = Path(__file__).resolve().parents[2]
CLEAN = REPO / "examples" / "clean-stack" / "riskcheck.yaml"
EXPOSED = REPO / "examples" / "exposed-stack" / "riskcheck.yaml"


def command() -> list[str]:
    exe = shutil.which("riskcheck")
    return [exe] if exe else [sys.executable, "-m", "riskcheck"]


def riskcheck(*args: str, cwd: Path | None = None, umask: int | None = None,
              **kwargs: object) -> subprocess.CompletedProcess[str]:
    preexec = (lambda: os.umask(umask)) if umask is not None else None  # noqa: E731
    return subprocess.run(command() + list(args), capture_output=True, text=True, cwd=cwd,
                          env=os.environ.copy(), timeout=120, preexec_fn=preexec,
                          encoding="utf-8", errors="strict", **kwargs)  # type: ignore[arg-type]


def error_line(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("riskcheck: error: "), result.stderr
    return lines[0]


# -- checked before the run ---------------------------------------------------------------

def test_missing_report_directory_fails_before_the_run_and_writes_nothing(tmp_path: Path) -> None:
    result = riskcheck("check", str(CLEAN), "-f", "json", "-o", "r.json",
                       "--report", "sarif=nodir/x.sarif", cwd=tmp_path)
    line = error_line(result)
    assert "nodir/x.sarif" in line and "directory does not exist" in line
    assert list(tmp_path.iterdir()) == []


def test_two_outputs_to_one_file_are_refused_before_anything_runs(tmp_path: Path) -> None:
    # The manifest does not exist: the output check must come first.
    result = riskcheck("check", "missing.yaml", "-f", "json", "-o", "r.json",
                       "--report", "sarif=r.json", cwd=tmp_path)
    line = error_line(result)
    assert "two outputs go to one place" in line and "r.json" in line
    assert list(tmp_path.iterdir()) == []


def test_the_same_file_under_two_names_is_one_place(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path / "r.json", tmp_path / "sub" / "link.json")
    for other in (str(tmp_path / "r.json"), "./r.json", "sub/../r.json", "sub/link.json"):
        result = riskcheck("check", str(CLEAN), "-f", "json", "-o", "r.json",
                           "--report", f"sarif={other}", cwd=tmp_path)
        assert "two outputs go to one place" in error_line(result), other
    assert not (tmp_path / "r.json").exists()


def test_a_report_to_the_stdout_already_used_is_refused(tmp_path: Path) -> None:
    # /proc/self/fd/1 rather than /dev/stdout: code that replaced the target with a regular
    # file would replace a test's own descriptor name, never the machine's /dev entries.
    result = riskcheck("check", str(CLEAN), "-f", "json", "--report", "json=/proc/self/fd/1",
                       cwd=tmp_path)
    assert "two outputs go to one place" in error_line(result)
    assert result.stdout == ""


def test_a_directory_as_report_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = riskcheck("check", str(CLEAN), "--report", "sarif=out", cwd=tmp_path)
    assert "out: output is a directory" in error_line(result)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_report_command_checks_outputs_first(tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    produced = riskcheck("check", str(CLEAN), "-f", "json", "-o", str(saved))
    assert produced.returncode == 0, produced.stderr
    result = riskcheck("report", str(saved), "-f", "markdown", "-o", "r.md",
                       "--report", "csv=gone/r.csv", cwd=tmp_path)
    assert "gone/r.csv" in error_line(result)
    assert not (tmp_path / "r.md").exists()
    same = riskcheck("report", str(saved), "-f", "markdown", "-o", "r.md",
                     "--report", "csv=r.md", cwd=tmp_path)
    assert "two outputs go to one place" in error_line(same)


# -- all or none ---------------------------------------------------------------------------

def test_a_failed_write_leaves_none_of_the_files(tmp_path: Path) -> None:
    first = outputs.target(tmp_path / "a.json")
    (tmp_path / "sub").mkdir()
    second = outputs.target(tmp_path / "sub" / "b.sarif")
    (tmp_path / "sub").rmdir()  # gone between the check and the write
    with pytest.raises(InputError) as failure:
        outputs.write_all([("{}", first), ("{}", second)])
    assert "b.sarif" in str(failure.value)
    assert list(tmp_path.iterdir()) == []  # no a.json, no temporary file


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_an_existing_report_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    existing = tmp_path / "r.json"
    existing.write_text("old")
    existing.chmod(0o640)
    result = riskcheck("check", str(CLEAN), "-f", "json", "-o", str(existing), umask=0o077)
    assert result.returncode == 0, result.stderr
    assert json.loads(existing.read_text())["project"]
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


# -- permissions ---------------------------------------------------------------------------

@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_report_files_honour_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    result = riskcheck("check", str(CLEAN), "-f", "json", "-o", "r.json",
                       "--report", "sarif=r.sarif", cwd=tmp_path, umask=umask)
    assert result.returncode == 0, result.stderr
    for name in ("r.json", "r.sarif"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


# -- FIFOs, /dev/fd, devices ----------------------------------------------------------------

def _drain(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_output_to_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _drain(fifo, received)
    result = riskcheck("check", str(CLEAN), "-f", "json", "-o", str(fifo))
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0].decode("utf-8"))["project"]["name"]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_output_to_dev_fd_like_process_substitution(tmp_path: Path) -> None:
    """``-o >(cmd)`` passes ``/dev/fd/N``, a pipe: it used to fail with FileNotFoundError."""
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []

    def read() -> None:
        with os.fdopen(read_end, "rb") as handle:
            chunks.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        result = riskcheck("check", str(CLEAN), "-f", "sarif", "-o", f"/dev/fd/{write_end}",
                           "--report", "json=r.json", cwd=tmp_path, pass_fds=(write_end,))
    finally:
        os.close(write_end)
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert json.loads(chunks[0])["version"] == "2.1.0"
    assert (tmp_path / "r.json").is_file()


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_output_to_a_character_device_leaves_it_a_device(tmp_path: Path) -> None:
    # A private copy of /dev/null: a regression must not be able to replace the real one.
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = riskcheck("check", str(CLEAN), "-f", "json", "-o", str(null),
                       "--report", f"sarif={null}")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_stdout_redirected_to_a_file_is_written_through_its_name(tmp_path: Path) -> None:
    """``-o /dev/stdout > out.txt`` appends to what the shell opened (/proc/self/fd/1 here)."""
    out = tmp_path / "out.txt"
    with open(out, "ab") as handle:
        handle.write(b"before\n")
        handle.flush()
        result = subprocess.run(command() + ["check", str(CLEAN), "-f", "json", "-o",
                                             "/proc/self/fd/1"], stdout=handle,
                                stderr=subprocess.PIPE, env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("before\n{")
    assert json.loads(text.removeprefix("before\n"))["project"]


# -- a reader that goes away ------------------------------------------------------------------

@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("manifest, verdict", [(CLEAN, 0), (EXPOSED, 1)])
def test_closed_stdout_keeps_the_verdict_and_writes_the_reports(
        tmp_path: Path, manifest: Path, verdict: int) -> None:
    process = subprocess.Popen(command() + ["check", str(manifest), "-f", "json",
                                            "--report", "sarif=r.sarif"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                               env=os.environ.copy())
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(120) == verdict, stderr
    assert "error" not in stderr and "Traceback" not in stderr, stderr
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_head_reading_one_line_is_not_a_failure(tmp_path: Path) -> None:
    shell = (f"{' '.join(command())} check {EXPOSED} -f json --report markdown=r.md "
             "| head -1; echo \"exit=${PIPESTATUS[0]}\"")
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=tmp_path,
                            env=os.environ.copy(), timeout=120)
    assert result.stdout.splitlines() == ["{", "exit=1"], result.stdout + result.stderr
    assert "error" not in result.stderr
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("## riskcheck")
