"""A throw-away PostgreSQL cluster for tests and benchmarks, from the server binaries.

It runs ``initdb`` into a temporary directory and starts ``postgres`` listening
on a Unix socket there only (no TCP port, so nothing clashes), with trust
authentication, and removes everything on stop. PostgreSQL refuses to run as
root; run as root, it runs the server as the ``postgres`` system user the
OS packages create.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError, TestServerError

__all__ = ["PostgresServer", "find_postgres_binaries"]

#: Where the OS packages put the server binaries (Debian: one directory per version).
_PACKAGE_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin")
#: Settings for a test cluster: no durability needed, so no waiting on the disk.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


_INITDB = ("initdb", "-D", "data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
           "--no-sync")  # fmt: skip


_PROGRAMS = ("initdb", "pg_ctl", "postgres")
_SETTING = re.compile(r"[a-z_][a-z0-9_.]*")
_VALUE = re.compile(r"[A-Za-z0-9._-]{1,100}")


def find_postgres_binaries() -> tuple[Path | None, str]:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or None and why not.

    ``ITILKIT_POSTGRES_BIN`` names the directory to use (and only that one);
    otherwise the ``PATH`` and then the OS package directories (newest version
    first) are searched.
    """
    wanted = _PROGRAMS
    chosen = os.environ.get("ITILKIT_POSTGRES_BIN")
    if chosen:
        candidates = [Path(chosen)]
    else:
        on_path = shutil.which("initdb")
        candidates = [Path(on_path).resolve().parent] if on_path else []
        for pattern in _PACKAGE_DIRS:
            found = sorted(Path("/").glob(pattern.lstrip("/")), key=_version, reverse=True)
            candidates.extend(found)
    for directory in candidates:
        if all((directory / name).is_file() for name in wanted):
            return directory, f"PostgreSQL binaries in {directory}"
    where = chosen or f"PATH or {', '.join(_PACKAGE_DIRS)}"
    return None, f"no PostgreSQL server binaries (initdb, pg_ctl, postgres) in {where}"


def _version(path: Path) -> tuple[int, ...]:
    digits = "".join(ch if ch.isdigit() else " " for ch in str(path))
    return tuple(int(part) for part in digits.split())


class PostgresServer:
    """One throw-away PostgreSQL cluster; use as a context manager, or start() and stop().

    ``url`` is a SQLAlchemy URL (psycopg driver) for the ``postgres`` database.
    """

    def __init__(self, binaries: Path, *, settings: Mapping[str, str] = FAST) -> None:
        if not isinstance(binaries, str | os.PathLike):
            raise InvalidTypeError("binaries", "the directory of the PostgreSQL programs", binaries)
        try:
            complete = all((Path(binaries) / name).is_file() for name in _PROGRAMS)
        except (OSError, ValueError, TypeError):  # no file can have that name
            complete = False
        if not complete:
            raise InvalidInputError(
                f"binaries must be a directory holding {', '.join(_PROGRAMS)} "
                f"(find_postgres_binaries() finds one), got {shown(binaries)}"
            )
        if not isinstance(settings, Mapping) or not all(
            isinstance(name, str) and _SETTING.fullmatch(name) and isinstance(value, str)
            and _VALUE.fullmatch(value)
            for name, value in settings.items()
        ):  # fmt: skip
            raise InvalidInputError(
                "settings must map PostgreSQL setting names to plain values (letters, digits, "
                f"'._-'), got {shown(settings)}"
            )
        self._binaries = Path(binaries)
        self._settings = dict(settings)
        self._root: Path | None = None
        self._user: pwd.struct_passwd | None = None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the running server's ``postgres`` database."""
        if self._root is None:
            raise TestServerError("the server is not running")
        return f"postgresql+psycopg://postgres@/postgres?host={self._root / 'socket'}"

    def start(self) -> str:
        """Create and start the cluster; return its URL.

        Raises:
            TestServerError: the cluster could not be created or started (the
                message carries the server's output); a RuntimeError.
        """
        if os.geteuid() == 0:
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise TestServerError(
                    "PostgreSQL refuses to run as root, and there is no 'postgres' user to run "
                    "it as (the OS package creates one)"
                ) from None
        root = Path(tempfile.mkdtemp(prefix="itilkit-pg-"))
        self._root = root
        root.chmod(0o755)
        for part in ("data", "socket"):
            (root / part).mkdir(mode=0o700)
            if self._user is not None:
                os.chown(root / part, self._user.pw_uid, self._user.pw_gid)
        options = " ".join(f"-c {name}={value}" for name, value in self._settings.items())
        try:
            self._run(*_INITDB)
            server = f"-k {root / 'socket'} -c listen_addresses='' {options}"
            self._run("pg_ctl", "-D", "data", "-l", "socket/log", "-w", "-t", "60", "-o", server,
                      "start")  # fmt: skip
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        """Stop the server and delete the cluster (harmless if not running)."""
        root, self._root = self._root, None
        if root is None:
            return
        if (root / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", "data", "-m", "immediate", "-w", "stop", root=root)
        shutil.rmtree(root, ignore_errors=True)

    def _run(self, program: str, *args: str, root: Path | None = None) -> None:
        user = self._user
        try:
            completed = subprocess.run(
                [str(self._binaries / program), *args],
                cwd=root or self._root,
                capture_output=True,
                text=True,
                check=False,
                user=None if user is None else user.pw_uid,
                group=None if user is None else user.pw_gid,
                env={**os.environ, "LC_ALL": "C"},
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise TestServerError(f"{program} could not run: {error}") from error
        if completed.returncode != 0:
            raise TestServerError(
                f"{program} failed ({completed.returncode}): {completed.stdout}{completed.stderr}"
            )

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
