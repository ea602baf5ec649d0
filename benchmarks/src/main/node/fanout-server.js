// Fan-out with node `ws` (npm), the way its README broadcasts: every message of the publisher (the connection to
// /pub) is sent to each open subscriber with client.send(data), binary or text as it came.
// Usage: node fanout-server.js <port>   (run-fanout.sh installs `ws` into benchmarks/target/node)
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('connection', (socket, request) => {
  if (request.url.startsWith('/pub')) {
    socket.on('message', (data, isBinary) => {
      wss.clients.forEach((client) => {
        if (client !== socket && client.readyState === WebSocket.OPEN) {
          client.send(data, { binary: isBinary });
        }
      });
    });
  }
});
wss.on('listening', () => console.log(`node-ws fan-out server listening on 127.0.0.1:${port} (ws ${require('ws/package.json').version}, node ${process.version})`));
