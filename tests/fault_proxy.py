"""A TCP proxy on 127.0.0.1 that breaks some connections, for the sync fault tests.

Each accepted connection gets one fate, drawn from a seeded random generator: passed through,
delayed, cut during the upload (part of the request reaches the server), or answered by the
server but cut before the answer reaches the client. Only loopback addresses; it stops with
`close()`.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time

PASS, DELAY, DROP_UPLOAD, DROP_RESPONSE = "pass", "delay", "drop_upload", "drop_response"


class FaultProxy:
    def __init__(self, upstream_port: int, fault_rate: float, seed: int = 0) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.fault_rate = fault_rate
        self.random = random.Random(seed)
        self.counts = {PASS: 0, DELAY: 0, DROP_UPLOAD: 0, DROP_RESPONSE: 0}
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self._closed = False
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _fate(self) -> str:
        with self._lock:
            draw = self.random.random()
            fate = PASS
            if draw < self.fault_rate:
                fate = (DELAY, DROP_UPLOAD, DROP_RESPONSE)[int(draw / self.fault_rate * 3) % 3]
            self.counts[fate] += 1
            return fate

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self._fate()), daemon=True).start()

    def _serve(self, client: socket.socket, fate: str) -> None:
        try:
            server = socket.create_connection(self.upstream, timeout=30)
        except OSError:
            client.close()
            return
        try:
            if fate == DELAY:
                time.sleep(0.05 + self.random.random() * 0.15)
            if fate == DROP_UPLOAD:
                data = client.recv(65536)
                server.sendall(data[: max(1, len(data) // 2)])
                return
            upward = threading.Thread(target=_pump, args=(client, server), daemon=True)
            upward.start()
            if fate == DROP_RESPONSE:
                server.settimeout(30)
                server.recv(65536)  # the server answered: the client never hears it
                return
            _pump(server, client)
            upward.join(timeout=30)
        except OSError:
            pass
        finally:
            for s in (client, server):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self._closed = True
        self.listener.close()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                dst.shutdown(socket.SHUT_WR)
                return
            dst.sendall(data)
    except OSError:
        return
