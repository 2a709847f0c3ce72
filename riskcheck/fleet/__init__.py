"""The organisation view: many projects' results aggregated (``riskcheck fleet``)."""

from riskcheck.fleet.interface import (
    Concentration,
    Dependency,
    Fleet,
    FleetChange,
    FleetFinding,
    FleetModel,
    FleetProject,
)

__all__ = ["Concentration", "Dependency", "Fleet", "FleetChange", "FleetFinding", "FleetModel",
           "FleetProject"]
