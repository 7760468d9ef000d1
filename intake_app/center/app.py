"""The center's HTTP service (Starlette, served by uvicorn): four POST endpoints.

    POST /v1/batches              a sealed batch envelope -> the signed acknowledgement
    POST /v1/attachments/status   a signed status request -> {sha256: bytes already received}
    POST /v1/attachments          a sealed attachment chunk -> {"received", "complete"}
    POST /v1/feed                 a signed feed request -> the feed, signed and sealed
    GET  /v1/health               {"ok": true, "protocol": ...}

Errors are JSON {"error": code, "params": {...}, "message": "..."} with 400 (bad data or
signature), 403 (unknown station), 409 (replayed or out-of-order batch) or 413 (too large).
Bodies are read up to MAX_REQUEST_BYTES and no further. The work runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from intake_app.domain.sync_protocol import MAX_REQUEST_BYTES, PROTOCOL, SyncError

from intake_app.center.service import Center, Refusal


class _TooLarge(Exception):
    pass


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    parts: list[bytes] = []
    size = 0
    async for part in request.stream():
        size += len(part)
        if size > limit:
            raise _TooLarge
        parts.append(part)
    return b"".join(parts)


def create_app(center: Center, *, max_bytes: int = MAX_REQUEST_BYTES) -> Starlette:
    def endpoint(work: Callable[[bytes], Any]) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            try:
                body = await _body(request, max_bytes)
                result = await run_in_threadpool(work, body)
            except ClientDisconnect:
                return Response(status_code=400)  # nobody is listening: nothing to answer
            except _TooLarge:
                error = SyncError("sync_too_large", limit=f"{max_bytes} bytes")
                return JSONResponse(Refusal(413, error).body(), status_code=413)
            except Refusal as refusal:
                return JSONResponse(refusal.body(), status_code=refusal.status)
            if isinstance(result, bytes):
                return Response(result, media_type="application/json")
            return JSONResponse(result)

        return handle

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "protocol": PROTOCOL})

    return Starlette(
        routes=[
            Route("/v1/batches", endpoint(center.receive_batch), methods=["POST"]),
            Route("/v1/attachments/status", endpoint(center.attachment_status), methods=["POST"]),
            Route("/v1/attachments", endpoint(center.receive_chunk), methods=["POST"]),
            Route("/v1/feed", endpoint(center.feed), methods=["POST"]),
            Route("/v1/health", health, methods=["GET"]),
        ]
    )
