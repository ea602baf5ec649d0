// A node `ws` echo server with perMessageDeflate: true, for the client's compression interop tests.
// Usage: node node_ws_deflate_echo.js   (with NODE_PATH pointing at a node_modules that has ws)
// Prints "PORT <port>" once listening on 127.0.0.1, echoes every message whole (compressed from ws's default
// threshold of 1024 bytes on), and exits when its stdin closes. The text "fragments" is answered with one text in
// three frames of 1500, 1500 and 1000 characters.
const { WebSocketServer } = require('ws');

function jsonLike(size, seed) {
  let s = '';
  for (let i = seed; s.length < size; i++) {
    s += `{"id":${i},"user":"user${i % 17}","status":"active","score":${(i * 31) % 1000}},`;
  }
  return s.substring(0, size);
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 0 });
server.on('listening', () => console.log('PORT ' + server.address().port));
server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString('utf8') === 'fragments') {
      const parts = [jsonLike(1500, 100), jsonLike(1500, 200), jsonLike(1000, 300)];
      parts.forEach((p, i) => ws.send(p, { fin: i === parts.length - 1 }));
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
