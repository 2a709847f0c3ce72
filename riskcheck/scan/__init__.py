"""Discovery: find the models a repository really uses, in code and configuration."""

from riskcheck.scan.interface import Detector, DetectorError, FoundReference, SkippedFile
from riskcheck.scan.scanner import ScanResult, default_detectors, scan_tree

__all__ = ["Detector", "DetectorError", "FoundReference", "ScanResult", "SkippedFile",
           "default_detectors", "scan_tree"]
