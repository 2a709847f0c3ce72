"""The scoring arithmetic, written so every step can be printed and checked by a reader.

A finding's score is a base score (from the level of what was found: a list's severity or a
country's tier) multiplied by weights, each with its reason. The level is then read back from
the score with the thresholds of ``lists/severity.yaml`` (``scale``). docs/scoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskcheck.model import Level


@dataclass(frozen=True)
class Scale:
    """Scores of the levels and the thresholds that turn scores back into levels."""

    scores: dict[Level, float]
    thresholds: dict[Level, float]

    def score_of(self, level: Level) -> float:
        """Base score of a level (0 for NONE)."""
        return self.scores.get(level, 0.0)

    def level_of(self, score: float) -> Level:
        """The highest level whose threshold ``score`` reaches (NONE below every threshold)."""
        for level in (Level.CRITICAL, Level.HIGH, Level.MEDIUM, Level.LOW):
            if score >= self.thresholds[level] - 1e-9:
                return level
        return Level.NONE


DEFAULT_SCALE = Scale(
    scores={Level.CRITICAL: 100.0, Level.HIGH: 80.0, Level.MEDIUM: 60.0, Level.LOW: 30.0},
    thresholds={Level.CRITICAL: 90.0, Level.HIGH: 70.0, Level.MEDIUM: 45.0, Level.LOW: 1.0},
)


@dataclass(frozen=True)
class Weighing:
    """A base score and the weights applied to it, each with a one-line reason."""

    base: float
    reason: str
    factors: tuple[tuple[float, str], ...] = field(default_factory=tuple)

    def times(self, factor: float, reason: str) -> Weighing:
        """This weighing with one more weight (a weight of 1 is still recorded: it explains)."""
        return Weighing(self.base, self.reason, (*self.factors, (factor, reason)))

    @property
    def score(self) -> float:
        """Base times every weight, capped at 100 and rounded to one decimal."""
        value = self.base
        for factor, _ in self.factors:
            value *= factor
        return round(min(value, 100.0), 1)

    def lines(self, scale: Scale, *, cap: Level | None = None) -> tuple[str, ...]:
        """The arithmetic as detail lines ending with the resulting level."""
        out = [f"base score {self.base:g}: {self.reason}"]
        out.extend(f"x {factor:g}: {why}" for factor, why in self.factors)
        level = self.level(scale, cap=cap)
        note = f" (capped at {cap.label})" if cap is not None and scale.level_of(self.score) > cap \
            else ""
        out.append(f"= score {self.score:g} -> {level.label}{note}")
        return tuple(out)

    def level(self, scale: Scale, *, cap: Level | None = None) -> Level:
        """The level of the score, never above ``cap`` when given."""
        level = scale.level_of(self.score)
        if cap is not None:
            level = min(level, cap)
        return level
