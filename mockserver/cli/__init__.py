"""``insurup-sandbox``: serve the sandbox, run scenarios, record and compare them, certify an
integration, manage a running sandbox's agents. Each group of commands is its own module; this one
composes them."""

from __future__ import annotations

from typing import Annotated

import typer

from mockserver import __version__
from mockserver.cli import agents, certify, contract, server

app = typer.Typer(add_completion=False, no_args_is_help=True, help="insurup-sandbox: an offline fake of the InsurUp API.")
app.add_typer(server.app)
app.add_typer(contract.contract_app, name="contract")
app.add_typer(certify.certify_app, name="certify")
app.add_typer(agents.agents_app, name="agents")


def _version(value: bool) -> None:
    if value:
        print(f"insurup-sandbox {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit")] = False) -> None:
    """insurup-sandbox: an offline fake of the InsurUp API."""


def main() -> None:
    app()
