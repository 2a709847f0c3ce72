"""What changed between two watch runs: new and removed matches, level changes, stale lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskcheck.model import Level, Report

SNAPSHOT_VERSION = 1


def _model_key(assessment: Any) -> str:
    ref = assessment.resolution.ref
    return "|".join((ref.id, ref.usage, ref.provider or "", ref.base_url or ""))


def snapshot_report(report: Report) -> dict[str, Any]:
    """The parts of a report a later run is compared against (JSON-serialisable)."""
    models: dict[str, Any] = {}
    for assessment in report.models:
        matches = []
        for match in assessment.matches:
            level = max((f.level for f in assessment.findings if f.match is match),
                        default=Level.NONE)
            matches.append({
                "party_id": match.party_id,
                "party_role": match.party_role,
                "source": match.entity.source,
                "source_id": match.entity.source_id,
                "lists": list(match.entity.lists),
                "also": sorted(f"{e.source}:{e.source_id}" for e in match.also_listed),
                "name": match.entity.name,
                "band": match.band,
                "status": match.status,
                "score": round(match.score, 4),
                "level": level.label,
            })
        models[_model_key(assessment)] = {
            "id": assessment.resolution.ref.id,
            "level": assessment.level.label,
            "matches": sorted(matches, key=lambda m: (m["party_id"], m["source"], m["source_id"])),
        }
    return {
        "snapshot_version": SNAPSHOT_VERSION,
        "level": report.level.label,
        "models": models,
        "stale_lists": sorted(v.source for v in report.list_versions if v.stale),
        "list_versions": {v.source: v.version for v in report.list_versions},
    }


@dataclass(frozen=True)
class Change:
    """One difference between the previous and the current watch run."""

    kind: str
    """new-match, removed-match, level-up, level-down, new-model, removed-model, list-stale,
    list-fresh, list-updated."""
    model: str | None
    summary: str
    level: Level = Level.NONE


@dataclass(frozen=True)
class WatchDiff:
    """All changes of one run, and whether any new one reaches the fail threshold."""

    first_run: bool
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def alerts(self, threshold: Level) -> tuple[Change, ...]:
        """New matches and level rises at or above ``threshold`` (none never alerts)."""
        if threshold == Level.NONE:
            return ()
        return tuple(c for c in self.changes
                     if c.kind in ("new-match", "level-up", "new-model") and c.level >= threshold)


def _match_key(match: dict[str, Any]) -> tuple[str, str, str]:
    return (match["party_id"], match["source"], match["source_id"])


def _describe(match: dict[str, Any]) -> str:
    lists = "/".join(match["lists"]) or match["source"]
    status = " (formerly listed)" if match["status"] == "formerly-listed" else ""
    return (f"{match['party_id']} ({match['party_role']}) matches {match['name']!r} on {lists}"
            f"{status}, {match['band']} {match['score']:.2f}")


def diff_snapshots(previous: dict[str, Any] | None, current: dict[str, Any]) -> WatchDiff:
    """Compare two snapshots; with no previous run, everything current is new."""
    first = previous is None
    before_models = (previous or {}).get("models", {})
    changes: list[Change] = []
    for key, model in current["models"].items():
        old = before_models.get(key)
        level = Level.parse(model["level"])
        if old is None:
            if not first:
                changes.append(Change("new-model", model["id"], f"{model['id']} is new ({model['level']})",
                                      level))
            old = {"level": "none", "matches": []}
        old_matches = {_match_key(m): m for m in old["matches"]}
        new_matches = {_match_key(m): m for m in model["matches"]}
        for match_key in sorted(new_matches.keys() - old_matches.keys()):
            match = new_matches[match_key]
            changes.append(Change("new-match", model["id"], f"{model['id']}: {_describe(match)}",
                                  Level.parse(match["level"])))
        for match_key in sorted(old_matches.keys() - new_matches.keys()):
            match = old_matches[match_key]
            changes.append(Change("removed-match", model["id"],
                                  f"{model['id']}: no longer {_describe(match)}"))
        before = Level.parse(old["level"])
        if level != before and not (first and level == Level.NONE):
            kind = "level-up" if level > before else "level-down"
            changes.append(Change(kind, model["id"],
                                  f"{model['id']}: exposure {before.label} -> {level.label}", level))
    for key in sorted(before_models.keys() - current["models"].keys()):
        changes.append(Change("removed-model", before_models[key]["id"],
                              f"{before_models[key]['id']} is no longer checked"))
    old_stale = set((previous or {}).get("stale_lists", []))
    for source in sorted(set(current["stale_lists"]) - old_stale):
        changes.append(Change("list-stale", None, f"list {source} is stale", Level.NONE))
    for source in sorted(old_stale - set(current["stale_lists"])):
        changes.append(Change("list-fresh", None, f"list {source} is fresh again"))
    old_versions = (previous or {}).get("list_versions", {})
    for source, version in sorted(current["list_versions"].items()):
        if source in old_versions and old_versions[source] != version:
            changes.append(Change("list-updated", None, f"list {source} has a new version"))
    return WatchDiff(first_run=first, changes=tuple(changes))
