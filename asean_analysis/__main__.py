"""Command line: ``python -m asean_analysis {run,sweep,fetch,ledger,params,report,diff,readme} ...`` (``--help`` on each)."""

import argparse
import json
import sys
from pathlib import Path

from . import claims, fetch, params, paths, runner, sweep
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
    run.add_argument("--workers", type=int, default=None, metavar="N",
                     help="notebooks executed at once, one kernel each (default: the number of CPUs)")
    run.add_argument("--force", action="store_true",
                     help="ignore the cache: execute every notebook even if its inputs are unchanged")

    sweep = sub.add_parser("sweep", help="run a parameter grid and write a verdict-stability table",
                           description="Run every parameter set of a YAML grid (name: [values], optional "
                                       "notebooks: [names]) and write <out>/sensitivity.csv with a chart.")
    sweep.add_argument("--grid", type=Path, required=True, metavar="GRID.yaml")
    sweep.add_argument("--out", type=Path, default=paths.OUTPUTS, metavar="DIR")
    sweep.add_argument("--workers", type=int, default=None, metavar="N", help="local worker processes (default: CPUs)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="address of a Dask distributed scheduler (e.g. tcp://host:8786) to run the grid on a cluster")
    sweep.add_argument("--timeout", type=int, default=runner.TIMEOUT, metavar="SECONDS")

    sub.add_parser("fetch", help="fill data/raw/ from the mirror (ASEAN_DATA_MIRROR) or pinned downloads; check sha256")

    ledger = sub.add_parser("ledger", help="rebuild the claims ledger from the values recorded in an output folder")
    ledger.add_argument("--out", type=Path, default=paths.OUTPUTS, metavar="DIR")

    sub.add_parser("params", help="list every parameter with its type and meaning, and which notebook declares it")

    rep = sub.add_parser("report", help="build the offline HTML report of a run folder into DIR/report/")
    rep.add_argument("--out", type=Path, default=paths.OUTPUTS, metavar="DIR", help="the run folder (default: outputs/)")

    dif = sub.add_parser("diff", help="what changed between two result folders: verdicts, values, figures, inputs "
                         "(exit 0 same, 1 different, 2 error)")
    dif.add_argument("a", type=Path, metavar="A", help="the earlier result folder, e.g. outputs")
    dif.add_argument("b", type=Path, metavar="B", help="the later result folder, e.g. a rerun")
    dif.add_argument("--md", type=Path, metavar="FILE", help="write the markdown summary to FILE (default: stdout)")

    readme = sub.add_parser("readme", help="rewrite the README's generated tables from the registry and the manifest")
    readme.add_argument("--check", action="store_true", help="only report whether they are stale (exit 1 if so)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            ok, folder = runner.run(args.notebook, args.param, args.params, args.out, args.timeout,
                                    args.update_notebooks, args.workers, args.force)
            if not ok:
                status = json.loads((folder / "run.json").read_text(encoding="utf-8"))["notebooks"]
                for name, info in status.items():
                    if info["status"] != "ok":
                        print(f"error: notebook {name} failed: {info['error']} (its executed copy, "
                              f"ledger and records are kept in {folder}; {args.out} is unchanged)", file=sys.stderr)
            return 0 if ok else 1
        if args.command == "sweep":
            executor = None
            if args.scheduler:
                from distributed import Client

                executor = Client(args.scheduler).get_executor()
            frame = sweep.run(runner.read_params_file(args.grid), args.out.resolve(), executor, args.workers, args.timeout)
            print(sweep.stability(frame).to_string())
            print(f"[done] {args.out / 'sensitivity.csv'}")
            return 0
        if args.command == "fetch":
            for path in fetch.fetch():
                print(f"[ok] {path.relative_to(paths.data_dir())}")
            return 0
        if args.command == "ledger":
            claims.write_ledger(claims.ledger(args.out.resolve()), args.out.resolve())
            print(f"[done] {args.out / 'claims_ledger.md'}")
            return 0
        if args.command == "report":
            from . import report

            print(f"[done] {report.build(args.out)}")
            return 0
        if args.command == "diff":
            from . import diff

            return diff.main(args.a, args.b, args.md)
        if args.command == "readme":
            from . import readme

            stale = readme.update(check=args.check)
            print(f"[{'stale' if stale and args.check else 'done'}] README.md generated tables "
                  + ("are stale: run `python -m asean_analysis readme`" if stale and args.check else
                     "refreshed" if stale else "are up to date"))
            return 1 if stale and args.check else 0
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
