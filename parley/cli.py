"""The `parley` command: Django's management commands with Parley's settings.

`parley serve`, `parley demo`, `parley createadmin`, `parley recount`, `parley rebake`,
`parley backup`, `parley restore` are Parley's own; `parley migrate`, `parley shell` and the
rest are Django's. `parley help <command>` explains each.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "parley"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
