"""``python -m ospo``: licence audits and checks from the shell.

Exit codes, as the ``ospo`` command: 0 clean, 1 findings (incompatible, conditional or unknown),
2 the tool could not do the work (bad input included).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from . import _audit
from ._ospo import OspoError
from ._results import Check, Explanation

USES = ["merged", "static-link", "dynamic-link", "separate", "network"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ospo", description="Licence audits and checks.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser(
        "audit",
        help="audit this environment, or the distributions named in files",
        description=(
            "Audit the licences of installed distributions (or of those named in "
            "requirements.txt, pyproject.toml, uv.lock, poetry.lock or environment.yml files) "
            "against an outbound licence."
        ),
    )
    a.add_argument("files", nargs="*", help="requirements/lock files (default: every installed distribution)")
    a.add_argument("-o", "--outbound", default="Apache-2.0", help="the licence of your work (default Apache-2.0)")
    a.add_argument("-u", "--use", default="dynamic-link", choices=USES, help="how the packages are used (default dynamic-link)")
    a.add_argument("--path", action="append", help="a site-packages folder to read metadata from (repeatable; default sys.path)")
    a.add_argument("--exclude", action="append", default=[], help="a distribution to leave out (repeatable)")
    a.add_argument("-f", "--format", choices=["text", "json"], default="text")
    for name, help_ in (("check", "may INBOUND be used in a work under OUTBOUND?"), ("explain", "check, with every finding and source")):
        c = sub.add_parser(name, help=help_)
        c.add_argument("inbound", nargs="+")
        c.add_argument("-o", "--outbound", required=True)
        c.add_argument("-u", "--use", default="dynamic-link", choices=USES)
        c.add_argument("--strict", action="store_true", help="accept SPDX expressions only")
        c.add_argument("-f", "--format", choices=["text", "json"], default="text")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "audit":
            if args.files:
                audit = _audit.audit_files(args.files, args.outbound, args.use, path=args.path)
            else:
                audit = _audit.audit_environment(args.outbound, args.use, path=args.path, exclude=args.exclude)
            print(audit.to_json() if args.format == "json" else str(audit))
            return audit.exit_code
        from . import _ospo

        data = _ospo.check(args.inbound, args.outbound, args.use, args.strict)
        report = Explanation(data) if args.command == "explain" else Check(data)
        print(json.dumps(data, indent=2, ensure_ascii=False) if args.format == "json" else str(report))
        return 0 if report.ok else 1
    except OspoError as e:
        print(f"ospo: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 2


if __name__ == "__main__":
    sys.exit(main())
