"""Command line: ``python -m asean_analysis {run,fetch,ledger,params} ...`` (``--help`` on each)."""

import argparse
import sys
from pathlib import Path

from . import claims, fetch, params, paths, runner
from .errors import AseanError


def _parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m asean_analysis", description=__doc__.split(":")[0] + ".")
    sub = top.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute notebooks with papermill and write the claims ledger",
                         description="Execute the notebooks with papermill, record computed values and write "
                                     "the claims ledger. Parameters are checked against each notebook's "
                                     "parameters cell and the catalogue (`params`) before anything runs.")
    run.add_argument("--notebook", action="append", metavar="NAME",
                     help=f"notebook to run (repeatable; default all): {', '.join(runner.available())}")
    run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter, e.g. -p year=2022 -p gdp_source=imf-2024-10 (repeatable)")
    run.add_argument("--params", type=Path, metavar="FILE.yaml", help="YAML mapping of parameter values (-p wins)")
    run.add_argument("--out", type=Path, default=paths.OUTPUTS, metavar="DIR",
                     help="output folder: executed notebooks, values/, figures/, claims ledger (default: outputs/)")
    run.add_argument("--timeout", type=int, default=runner.TIMEOUT, metavar="SECONDS",
                     help=f"per-cell execution timeout (default {runner.TIMEOUT})")
    run.add_argument("--update-notebooks", action="store_true",
                     help="also refresh the committed notebooks/ with the executed copies (full runs with default parameters only)")

    sub.add_parser("fetch", help="fill data/raw/ from the mirror (ASEAN_DATA_MIRROR) or pinned downloads; check sha256")

    ledger = sub.add_parser("ledger", help="rebuild the claims ledger from the values recorded in an output folder")
    ledger.add_argument("--out", type=Path, default=paths.OUTPUTS, metavar="DIR")

    sub.add_parser("params", help="list every parameter with its type and meaning, and which notebook declares it")
    return top


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            ok, _ = runner.run(args.notebook, args.param, args.params, args.out, args.timeout, args.update_notebooks)
            return 0 if ok else 1
        if args.command == "fetch":
            for path in fetch.fetch():
                print(f"[ok] {path.relative_to(paths.data_dir())}")
            return 0
        if args.command == "ledger":
            claims.write_ledger(claims.ledger(args.out.resolve()), args.out.resolve())
            print(f"[done] {args.out / 'claims_ledger.md'}")
            return 0
        declared = {n: runner.declared(n) for n in runner.available()}
        for name, spec in params.SPECS.items():
            users = [n for n, d in declared.items() if name in d]
            extra = f" one of {', '.join(spec.choices)};" if spec.choices else ""
            print(f"{name} ({spec.kind}):{extra} {spec.help} [notebooks: {', '.join(users) or 'none'}]")
        return 0
    except AseanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
