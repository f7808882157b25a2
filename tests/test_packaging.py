"""The two commands and the container definition stay as the README promises."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_exactly_the_readme_test_command():
    readme = ROOT.joinpath("README.md").read_text()
    blocks = re.findall(r"```sh\n(.+?)\n```", readme, re.S)
    test_command = blocks[1].strip()
    assert test_command in ROOT.joinpath(".ci", "run").read_text()
    assert "insurup-sandbox serve" in blocks[0] and readme.index(blocks[0]) < 1200


def test_dockerfile_is_slim_non_root_with_healthcheck():
    text = ROOT.joinpath("Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    user = re.search(r"^USER (\S+)", text, re.M)
    assert user and user.group(1) not in ("root", "0")
    assert "HEALTHCHECK" in text and "/__sandbox/health" in text
    assert '"serve", "--host", "0.0.0.0"' in text
    # dependencies before the code (their own layer), the scenarios inside, the health check on the set port
    assert text.index("pip install -r") < text.index("COPY mockserver") < text.index("pip install --no-deps")
    assert "COPY scenarios" in text and "INSURUP_SANDBOX_PORT" in text.split("HEALTHCHECK", 1)[1]
    # the same versions every build, a context without the virtualenv or the history, a directory to keep state
    assert "pip install -r requirements.lock" in text and "chown sandbox /data" in text
    ignored = ROOT.joinpath(".dockerignore").read_text().split()
    assert {".venv", ".git", "tests"} <= set(ignored)
    import tomllib

    pins = dict(line.split("==") for line in ROOT.joinpath("requirements.lock").read_text().splitlines()
                if line and not line.startswith("#"))
    for dep in tomllib.loads(ROOT.joinpath("pyproject.toml").read_text())["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", dep, 1)[0].lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in requirements.lock (run tools/lock_image.py)"
    assert {"uvloop", "httptools", "cryptography"} <= set(pins)  # the extras the package asks for, too


def test_the_wheel_ships_the_scenarios(tmp_path):
    """A pip user has the scenarios: the wheel carries them inside the package."""
    import subprocess
    import sys
    import zipfile

    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"mockserver/scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")}
    assert shipped and shipped <= names
    # the pages' own files: the API reference and GraphiQL work offline from an installed wheel
    assert {"mockserver/data/swagger-ui/swagger-ui-bundle.js", "mockserver/data/graphiql/graphiql.min.js.gz",
            "mockserver/data/graphiql/react.production.min.js"} <= names


def test_the_readme_command_table_is_the_command_line():
    """Every command the CLI has is in the README's table, and the table names no command it lacks."""
    import typer.main

    from mockserver.cli import app

    group = typer.main.get_command(app)
    real = set()
    for name, command in group.commands.items():
        subs = getattr(command, "commands", None)
        real |= {f"{name} {sub}" for sub in subs} if subs else {name}
    real.discard("version")  # the hidden twin of --version
    readme = ROOT.joinpath("README.md").read_text()
    table = readme.split("## The command line", 1)[1].split("The commands that talk", 1)[0]
    named = set()
    for cell in re.findall(r"^\| `insurup-sandbox ([^`]+)`", table, re.M):
        first, *rest = cell.split()
        if first.startswith("-"):
            continue
        subs = rest[0].split("\\|") if rest and "\\|" in rest[0] else []
        named |= {f"{first} {sub}" for sub in subs} if subs else {first}
    named |= {"wait"} if "`wait --timeout" in table else set()
    assert real == named, (real - named, named - real)


def test_the_readme_kasko_walk_through_runs_as_written():
    """The README's five-minute kasko block, run by bash against a served sandbox, twice: each callback
    beside what the API says (a lying one, a declined card, a good card), a policy PDF's link each time,
    and its certification session certifiable, only trafik (outside its scope) skipped."""
    import shutil
    import subprocess

    from tests.live import serve

    readme = ROOT.joinpath("README.md").read_text()
    block = readme.split("## Five minutes of kasko", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    assert shutil.which("bash") and shutil.which("curl"), "bash and curl run the README's examples"
    with serve() as (base, _, _proc):
        for _ in range(2):  # pasted twice: it makes its own agent each time
            done = subprocess.run(["bash", "-c", "set -e\n" + block.replace("http://127.0.0.1:8080", base)],
                                  capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stderr
            lines = done.stdout.strip().splitlines()
            *paid, document, verdict = lines
            said = [(cb.split("?", 1)[1].split("&", 1)[0], api) for cb, api in zip(paid[::2], paid[1::2])]
            assert said == [("success=true", "the API: ACTIVE"), ("success=false", "the API: ACTIVE"),
                            ("success=true", "the API: PURCHASED")], lines
            assert "policyId=" in paid[-2]
            assert document.startswith(base) and document.endswith(".pdf")
            assert verdict == "True {'PASSED': 20, 'SKIPPED': 1}", verdict  # certifiable; trafik is out of scope


def test_install_tools_says_what_it_installs_and_how_before_it_does(tmp_path):
    """On a machine without Chromium, Node.js and curl, the test command's install-tools.sh names them
    and how it installs them (apt-get) before it runs anything, and installs nothing when asked not to."""
    import os
    import shutil
    import subprocess

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "id", "dirname", "env"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    log = tmp_path / "apt.log"
    (bin_dir / "apt-get").write_text(f"#!/bin/sh\necho \"apt-get $*\" >> {log}\n")
    (bin_dir / "apt-get").chmod(0o755)
    script = str(ROOT / "tests" / "install-tools.sh")
    done = subprocess.run([str(bin_dir / "sh"), script], capture_output=True, text=True, timeout=30,
                          env={"PATH": str(bin_dir)})
    assert done.returncode == 0, done.stderr
    said = done.stderr
    assert "need chromium nodejs npm curl" in said and "installing them with" in said, said
    assert "INSURUP_SANDBOX_NO_SYSTEM_PACKAGES" in said
    assert "apt-get install -y -qq chromium nodejs npm curl" in log.read_text()
    log.unlink()
    skipped = subprocess.run([str(bin_dir / "sh"), script], capture_output=True, text=True, timeout=30,
                             env={"PATH": str(bin_dir), "INSURUP_SANDBOX_NO_SYSTEM_PACKAGES": "1"})
    assert skipped.returncode == 0 and "not installing chromium nodejs npm curl" in skipped.stderr
    assert not log.exists()


def test_the_readme_walk_through_and_its_scenario_are_the_same_calls():
    """scenarios/readme_kasko_walk_through.yaml makes the README block's calls, in its order, steering and
    the report included (the runner opens the block's certification session from the scenario's key)."""
    import yaml

    readme = ROOT.joinpath("README.md").read_text()
    block = readme.split("## Five minutes of kasko", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    # the block's shell functions run where they are called
    functions = dict(re.findall(r"^(\w+)\(\) \{\n(.*?)\n\}\n", block, re.M | re.S))
    assert functions, "the block pays with a function"
    block = re.sub(r"^(\w+)\(\) \{\n.*?\n\}\n", "", block, flags=re.M | re.S)
    block = re.sub(r"^(\w+) .*$", lambda m: functions.get(m.group(1), m.group(0)), block, flags=re.M)
    calls = []
    for chunk in block.split("curl ")[1:]:
        url = re.search(r'\$BASE([^\s"\']*)|"(\$PAGE)"', chunk)
        assert url, chunk
        path = url.group(1) if url.group(1) is not None else url.group(2)
        method = "POST" if "-X POST" in chunk or re.search(r"\s-d[\s']", chunk) else "GET"
        calls.append((method, re.sub(r"'?\$[A-Z]+'?", "{}", path)))
    assert calls[0] == ("POST", "/__sandbox/certifications")  # the runner opens it from the scenario's key
    calls = calls[1:]
    scenario = yaml.safe_load(ROOT.joinpath("scenarios", "readme_kasko_walk_through.yaml").read_text())
    steps = [(m.upper(), re.sub(r"\$\{[^}]+\}", "{}", str(s[m]))) for s in scenario["steps"]
             for m in ("get", "post", "put", "delete") if m in s]
    assert steps == calls
