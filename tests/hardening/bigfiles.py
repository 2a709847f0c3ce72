"""Synthetic big list files (built at run time from the small parser assets)."""

from __future__ import annotations

from tests.hardening.conftest import ASSETS


def big_sdn_set(copies: int = 1500) -> dict[str, bytes]:
    """An OFAC legacy CSV set whose SDN.CSV has ``copies`` x the asset's rows (new ent_nums)."""
    rows = [line for line in (ASSETS / "ofac" / "sdn.csv").read_bytes().split(b"\r\n")
            if line and line != b"\x1a"]
    out = []
    for copy in range(copies):
        for row in rows:
            ent_num, rest = row.split(b",", 1)
            out.append(str(int(ent_num) + 100_000 * (copy + 1)).encode() + b"," + rest
                       if copy else row)
    files = {"SDN.CSV": b"\r\n".join(out) + b"\r\n\x1a"}
    for name, asset in (("ADD.CSV", "add.csv"), ("ALT.CSV", "alt.csv"),
                        ("SDN_COMMENTS.CSV", "sdn_comments.csv")):
        files[name] = (ASSETS / "ofac" / asset).read_bytes()
    return files
