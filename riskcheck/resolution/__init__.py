"""Resolution: a model reference to its vendors, parent companies, countries and lineage."""

from riskcheck.resolution.interface import Resolver

__all__ = ["Resolver"]
