"""A python-websockets (Debian's python3-websockets) echo server with permessage-deflate on, as websockets.serve
has it by default, for the client's compression interop tests. Prints "PORT <port>" once listening on 127.0.0.1,
echoes every message whole, and exits when its stdin closes. The text "fragments" is answered with one text in three
frames of 1500, 1500 and 1000 characters (python-websockets compresses it as one message).
"""
import asyncio
import sys

import websockets

from json_like import json_like


async def handler(ws):
    try:
        async for message in ws:
            if message == "fragments":
                await ws.send([json_like(1500, 100), json_like(1500, 200), json_like(1000, 300)])
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, max_size=None) as server:
        print("PORT", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
