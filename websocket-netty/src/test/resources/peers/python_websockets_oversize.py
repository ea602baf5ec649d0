"""Oversized messages from python-websockets (Debian's python3-websockets): does the client see our Close?

Usage: python_websockets_oversize.py URL TRIALS SIZE
Runs TRIALS connections to URL one after the other (wss: the certificate is not checked). Each sends
SIZE-byte binary messages in a loop, as fast as the connection takes them, until the connection closes,
and prints "CLOSE <code>" with the close code the client saw: the code of the server's Close frame, or
1006 when none arrived (e.g. a TCP reset lost it); "CLOSE none" when the trial did not end within 10 s.
Exits 0 after the last trial.
"""
import asyncio
import logging
import ssl
import sys

import websockets


async def trial(url, payload, tls):
    async with websockets.connect(url, ssl=tls, max_size=None, compression=None, close_timeout=10) as ws:
        try:
            while True:
                await ws.send(payload)
                # send() does not yield while the socket takes everything (a server that reads and discards
                # does), and asyncio reads nothing while this coroutine does not yield: without this the
                # client could never read a Close, whatever the server does.
                await asyncio.sleep(0)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else 1006
    return 1006


async def main(url, trials, size):
    # asyncio warns for every write to a connection that is gone; the close code says what matters.
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    tls = None
    if url.startswith("wss:"):
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    payload = bytes(size)
    for _ in range(trials):
        try:
            code = await asyncio.wait_for(trial(url, payload, tls), 10)
        except asyncio.TimeoutError:
            code = "none"
        print("CLOSE", code, flush=True)


asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
