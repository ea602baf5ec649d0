"""python-websockets (Debian's python3-websockets) as a compressing client of a wsnetty server, for the
permessage-deflate interop tests. Usage: python_websockets_deflate_client.py URI

Connects as websockets.connect does (permessage-deflate offered, compression on by default), then sends, one at a
time, and waits for each echo: a 4000-character JSON-like text, 5000 bytes of binary, a text in three fragments
(one message), and a short text. Prints:
  AGREED <server_no_context_takeover> <client_no_context_takeover>   (as python-websockets took the answer)
  ECHOED <n>   for each message whose echo came back equal
and exits with 1, printing MISMATCH, at the first echo that differs.
"""
import asyncio
import sys

import websockets

from json_like import json_like


async def main(uri):
    async with websockets.connect(uri, max_size=None) as ws:
        for ext in ws.extensions:
            print("AGREED", ext.remote_no_context_takeover, ext.local_no_context_takeover, flush=True)
        fragments = [json_like(1500, 100), json_like(1500, 200), json_like(1000, 300)]
        messages = [json_like(4000, 0), bytes(i % 7 for i in range(5000)), fragments, "a short text"]
        for n, message in enumerate(messages):
            await ws.send(message)
            echo = await ws.recv()
            expected = "".join(message) if isinstance(message, list) else message
            if echo != expected:
                print("MISMATCH", n, len(echo), len(expected), flush=True)
                sys.exit(1)
            print("ECHOED", n, flush=True)


asyncio.run(main(sys.argv[1]))
