"""Echo server on python-websockets (Debian's python3-websockets) for wsnetty's client tests.

Prints "PORT <port> websockets <version>" once listening on 127.0.0.1 (port 0: an ephemeral one), and
exits when its stdin closes, so it never outlives the test JVM. Besides echoing every message, it
answers these text commands:
  close:CODE:REASON   closes the connection with that code and reason
  ping:PAYLOAD        pings with that payload, waits for the pong, then sends "pong:PAYLOAD"
  fragments           sends one text message in three frames: "frag", "ment", "ed"
  headers             sends the request headers as JSON: [[name, value], ...] in order
  subprotocol         sends the negotiated subprotocol (or "none")
A handshake for the path /forbidden is refused with 403, a header "X-Reason: test" and a short body.
"""
import asyncio
import http
import json
import sys

import websockets


async def handler(ws):
    try:
        await serve_commands(ws)
    except websockets.ConnectionClosed:
        pass  # a close with a code other than 1000/1001 ends the loop this way: nothing to log


async def serve_commands(ws):
    async for message in ws:
        if isinstance(message, str):
            if message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await ws.close(int(code), reason)
                return
            if message.startswith("ping:"):
                payload = message[5:]
                pong = await ws.ping(payload.encode("utf-8"))
                await pong
                await ws.send("pong:" + payload)
                continue
            if message == "fragments":
                await ws.send(["frag", "ment", "ed"])
                continue
            if message == "headers":
                await ws.send(json.dumps(list(ws.request_headers.raw_items())))
                continue
            if message == "subprotocol":
                await ws.send(ws.subprotocol or "none")
                continue
        await ws.send(message)


async def refuse_forbidden(path, request_headers):
    if path == "/forbidden":
        return http.HTTPStatus.FORBIDDEN, [("X-Reason", "test")], b"forbidden by python\n"
    return None


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, subprotocols=["chat"], process_request=refuse_forbidden,
                                max_size=4 * 1024 * 1024, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        print("PORT", port, "websockets", websockets.version.version, flush=True)
        # Runs until stdin reaches its end (the test closed it, or the JVM is gone).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
