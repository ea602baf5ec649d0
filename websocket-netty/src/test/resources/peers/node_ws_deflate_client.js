// node's `ws` as a compressing client of a wsnetty server, for the permessage-deflate interop tests.
// Usage: node node_ws_deflate_client.js URI   (with NODE_PATH pointing at a node_modules that has ws)
// Connects with perMessageDeflate: true (ws's default threshold: messages under 1024 bytes go uncompressed), then
// sends, one at a time, and waits for each echo: a 4000-character JSON-like text, 5000 bytes of binary, a text in
// three fragments (one message) and a short text. Prints "AGREED <Sec-WebSocket-Extensions answer>", then
// "ECHOED <n>" per message echoed equal; exits with 1, printing MISMATCH or ERROR, on anything else.
const WebSocket = require('ws');

function jsonLike(size, seed) {
  let s = '';
  for (let i = seed; s.length < size; i++) {
    s += `{"id":${i},"user":"user${i % 17}","status":"active","score":${(i * 31) % 1000}},`;
  }
  return s.substring(0, size);
}

const binary = Buffer.alloc(5000);
for (let i = 0; i < binary.length; i++) binary[i] = i % 7;
const fragments = [jsonLike(1500, 100), jsonLike(1500, 200), jsonLike(1000, 300)];
const sends = [
  (ws) => ws.send(jsonLike(4000, 0)),
  (ws) => ws.send(binary),
  (ws) => fragments.forEach((f, i) => ws.send(f, { fin: i === fragments.length - 1 })),
  (ws) => ws.send('a short text'),
];
const expected = [jsonLike(4000, 0), binary, fragments.join(''), 'a short text'];

const ws = new WebSocket(process.argv[2], { perMessageDeflate: true, maxPayload: 0 });
let n = 0;
ws.on('upgrade', (response) => console.log('AGREED ' + response.headers['sec-websocket-extensions']));
ws.on('open', () => sends[0](ws));
ws.on('message', (data, isBinary) => {
  const want = expected[n];
  const same = isBinary ? Buffer.isBuffer(want) && Buffer.compare(data, want) === 0
    : typeof want === 'string' && data.toString('utf8') === want;
  if (!same) {
    console.log(`MISMATCH ${n} ${data.length}`);
    process.exit(1);
  }
  console.log(`ECHOED ${n}`);
  n++;
  if (n < sends.length) sends[n](ws); else ws.close(1000);
});
ws.on('close', () => process.exit(n === sends.length ? 0 : 1));
ws.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
