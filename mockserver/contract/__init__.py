"""The contract suite: the same scenarios against the fake and the real API, recordings redacted
before they touch disk, one normaliser for both sides, classified differences and a drift report
(JSON, HTML, JUnit). ``insurup-sandbox contract record|verify|diff`` drives it."""

from pathlib import Path


def scenario_dir() -> Path:
    """The scenarios shipped with the package (a wheel carries them inside ``mockserver``), or the
    repository's ``scenarios/`` when running from a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "scenarios"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "scenarios"
