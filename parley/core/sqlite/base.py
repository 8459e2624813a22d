"""Django's SQLite backend, with connections kept between requests safely.

Connections are kept between requests (`CONN_MAX_AGE`): opening one and running the pragmas
was 2 ms of every request. A kept connection holds the database *file* open, so if the file
at the configured path went away or was replaced (moved aside, restored under a running
server) or made read-only, it would go on reading and writing through what it opened.

So at the start and end of every request (Django's `close_old_connections`, which calls
`close_if_unusable_or_obsolete`) a kept connection is closed unless the path still names
the file it opened, unchanged since: same device, inode and change time, one `stat`. The
next query opens a new connection on what the path holds now, exactly as without kept
connections: a missing database is a 503, and a read-only one refuses writes with a 503.
The change time also moves when SQLite checkpoints its log into the file (about every 4 MB
written), which costs one reconnection then.
"""

from __future__ import annotations

import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _file_id: tuple[int, int, int] | None = None

    def _database_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:"):
            return None  # nothing on disk to compare (or a URI we do not parse)
        return name

    def _current_file_id(self) -> tuple[int, int, int] | None:
        path = self._database_path()
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino, stat.st_ctime_ns)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self._file_id = self._current_file_id()
        return connection

    def close_if_unusable_or_obsolete(self) -> None:
        super().close_if_unusable_or_obsolete()
        if (
            self.connection is not None
            and not self.in_atomic_block
            and self._database_path() is not None
            and self._current_file_id() != self._file_id
        ):
            self.close()
