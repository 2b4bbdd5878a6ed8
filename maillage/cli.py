"""The ``maillage`` command: a thin shell over the library.

maillage check       claim files: syntax, vocabulary, quotes (no build)
maillage validate    build the graph and print the SHACL report summary
maillage build       build, validate and publish a release to var/current/
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from maillage.errors import DataError, DataErrors, ValidationFailed
from maillage.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="maillage", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check the claim files (syntax, vocabulary, quotes)")
    commands.add_parser("validate", help="build the graph and validate it against the shapes")
    commands.add_parser("build", help="build, validate and publish a release to var/current/")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return COMMANDS[args.command](settings)
    except SettingsError as error:
        print(f"maillage: bad setting: {error}", file=sys.stderr)
    except (DataError, DataErrors) as error:
        print(f"maillage: data errors, nothing published:\n{error}", file=sys.stderr)
    except ValidationFailed as error:
        print(f"maillage: SHACL violations, nothing published:\n{error}", file=sys.stderr)
    return 1


def run_check(settings: Settings) -> int:
    from maillage.build import check

    inputs = check(settings)
    print(f"{len(inputs.claims)} claims in {len(inputs.documents)} documents: all quotes found.")
    return 0


def run_validate(settings: Settings) -> int:
    from maillage.build import assemble

    build = assemble(settings)
    result = build.validation
    print(f"{result.violations} violations, {result.warnings} warnings")
    if not result.conforms or result.warnings:
        print(result.text)
    return 0 if result.conforms else 1


def run_build(settings: Settings) -> int:
    from maillage.build import build_release

    started = time.perf_counter()
    build, directory = build_release(settings)
    seconds = time.perf_counter() - started
    print(
        f"release {directory.name}: {len(build.inputs.claims)} claims, "
        f"{len(build.graph.default)} triples in the default graph, "
        f"{build.validation.warnings} warnings, {seconds:.1f} s → "
        f"{_shown(settings.current_release)}"
    )
    return 0


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is under it (for readable output)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


COMMANDS = {"check": run_check, "validate": run_validate, "build": run_build}

if __name__ == "__main__":
    sys.exit(main())
