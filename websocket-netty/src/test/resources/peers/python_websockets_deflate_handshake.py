"""Opening handshake of python-websockets (Debian's python3-websockets) against a wsnetty server, for the
permessage-deflate negotiation tests. Usage: python_websockets_deflate_handshake.py URI [OFFER]

OFFER "default" (the default) connects as websockets.connect does, offering permessage-deflate with its own
parameters; "server_max_window_bits=N" offers permessage-deflate asking for that server window. Prints:
  OFFER <the request's Sec-WebSocket-Extensions>
  ANSWER <the 101's Sec-WebSocket-Extensions, or None>
  AGREED <name> server_no_context_takeover=.. client_no_context_takeover=.. server_max_window_bits=.. client_max_window_bits=..
    (once per negotiated extension, as python-websockets took it)
  CLOSED <close code>
It sends no message: python-websockets compresses every message once permessage-deflate is agreed.
"""
import asyncio
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory


async def main(uri, offer):
    options = {}
    if offer.startswith("server_max_window_bits="):
        bits = int(offer.split("=", 1)[1])
        options["extensions"] = [ClientPerMessageDeflateFactory(server_max_window_bits=bits)]
    async with websockets.connect(uri, **options) as ws:
        print("OFFER", ws.request_headers.get("Sec-WebSocket-Extensions"), flush=True)
        print("ANSWER", ws.response_headers.get("Sec-WebSocket-Extensions"), flush=True)
        for ext in ws.extensions:
            # A client's remote end is the server.
            print("AGREED", ext.name,
                  "server_no_context_takeover=%s" % ext.remote_no_context_takeover,
                  "client_no_context_takeover=%s" % ext.local_no_context_takeover,
                  "server_max_window_bits=%s" % ext.remote_max_window_bits,
                  "client_max_window_bits=%s" % ext.local_max_window_bits, flush=True)
    print("CLOSED", ws.close_code, flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "default"))
