"""A python-websockets (Debian's python3-websockets) server with permessage-deflate on, for the client's negotiation
tests. Usage: python_websockets_deflate_server.py [ANSWER]

ANSWER "default" (the default) negotiates as websockets.serve does; "server_max_window_bits=N" also announces that
the server compresses with that window. Prints "PORT <port>" once listening on 127.0.0.1, keeps every connection
open until the client closes it (it sends no message: it would compress it), and exits when its stdin closes.
"""
import asyncio
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


async def handler(ws):
    await ws.wait_closed()


async def main(answer):
    options = {}
    if answer.startswith("server_max_window_bits="):
        bits = int(answer.split("=", 1)[1])
        options["extensions"] = [ServerPerMessageDeflateFactory(server_max_window_bits=bits)]
    async with websockets.serve(handler, "127.0.0.1", 0, **options) as server:
        print("PORT", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "default"))
