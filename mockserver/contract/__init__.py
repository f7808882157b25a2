"""The contract suite: the same scenarios against the fake and the real API, recordings redacted
before they touch disk, one normaliser for both sides, classified differences and a drift report
(JSON, HTML, JUnit). ``insurup-sandbox contract record|verify|diff`` drives it. The scenario format
is :mod:`.spec`, its runner :mod:`.runner`."""

from pathlib import Path


def scenario_dir() -> Path:
    """The scenarios shipped with the package (a wheel carries them inside ``mockserver``), or the
    repository's ``scenarios/`` when running from a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "scenarios"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "scenarios"


def resolve_scenarios(given: list[Path]) -> list[Path]:
    """Scenario files from what a user typed: files and directories as they are, and otherwise the
    name of a shipped scenario (``customer_otp_login``, ``customer_otp_login.yaml`` or a checkout's
    ``scenarios/customer_otp_login.yaml``) or ``scenarios`` for all of them, from any directory.
    Raises FileNotFoundError naming what matched nothing."""
    from mockserver.contract.runner import discover

    shipped = scenario_dir()
    if not given:
        return discover([shipped])
    out: list[Path] = []
    for path in given:
        if path.exists():
            out += discover([path])
            continue
        if path.name == "scenarios" or str(path).rstrip("/") in ("scenarios", "./scenarios"):
            out += discover([shipped])
            continue
        stem = path.name.removesuffix(".yaml").removesuffix(".yml")
        candidate = shipped / f"{stem}.yaml"
        if not candidate.exists():
            names = ", ".join(sorted(p.stem for p in shipped.glob("*.yaml")))
            raise FileNotFoundError(f"{path}: no such file, and no shipped scenario of that name (shipped: {names})")
        out.append(candidate)
    return out
