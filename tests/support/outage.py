"""Taking the database away and bringing it back, per backend.

PostgreSQL: the app connects through a TCP proxy; ``down()`` cuts every open connection
(mid-transaction ones included) and refuses new ones, as a network failure or a failover does.
SQLite: the database's directory is moved away and the pool emptied, so no connection opens.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target until cut."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.down = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for sock in (src, dst):
            self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        self.down = True
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            self._close(sock)

    def restore(self) -> None:
        """Accept connections again."""
        self.down = False

    def close(self) -> None:
        """Stop listening."""
        self.cut()
        self._listener.close()


class Outage:
    """A database the test can take away (``down``) and bring back (``up``)."""

    def __init__(self, db_url: str, tmp_path: Path) -> None:
        url = make_url(db_url)
        self.backend = url.get_backend_name()
        self.proxy: TcpProxy | None = None
        self._moved: tuple[Path, Path] | None = None
        self.engine: Engine | None = None  # set once the app's engine exists
        if self.backend == "postgresql":
            self.proxy = TcpProxy(int(url.port or 5432))
            self.url = url.set(port=self.proxy.port).render_as_string(hide_password=False)
        else:
            volume = tmp_path / "volume"
            volume.mkdir()
            database = volume / "cxpulse.sqlite3"
            shutil.copyfile(str(url.database), database)
            self._moved = (volume, tmp_path / "volume-away")
            self.url = f"sqlite:///{database}"

    def down(self) -> None:
        """The database becomes unreachable."""
        if self.proxy is not None:
            self.proxy.cut()
            return
        assert self._moved is not None
        assert self.engine is not None
        self.engine.dispose()
        self._moved[0].rename(self._moved[1])

    def up(self) -> None:
        """The database is back."""
        if self.proxy is not None:
            self.proxy.restore()
            return
        assert self._moved is not None
        self._moved[1].rename(self._moved[0])

    def close(self) -> None:
        """Release the proxy."""
        if self.proxy is not None:
            self.proxy.close()
