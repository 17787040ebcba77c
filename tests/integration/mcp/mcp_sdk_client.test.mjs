// Drives the real `avatar-renderer mcp` with the official MCP TypeScript SDK
// client (Client + StdioClientTransport), plus raw stdio for what a client
// library hides: unparsable lines, the seed's line format, version
// negotiation, stdout hygiene and exit at end of input.
// Run by ctest (CMakeLists.txt): node --test mcp_sdk_client.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

const BIN = process.env.AVATAR_BIN;
const TESTDATA = process.env.AVATAR_TESTDATA ?? '';
const FACE = path.join(TESTDATA, 'faces/alice.png');
const SPEECH = path.join(TESTDATA, 'audio/hello.wav');
const SPEECH_8S = path.join(TESTDATA, 'audio/RD_Radio31_000.wav');
const missing = !BIN || !fs.existsSync(BIN)
  ? 'AVATAR_BIN not set (run through ctest)'
  : !fs.existsSync(FACE) || !fs.existsSync(SPEECH) || !fs.existsSync(SPEECH_8S)
    ? `test data not found under AVATAR_TESTDATA=${TESTDATA}`
    : false;

const work = fs.mkdtempSync(path.join(process.env.AVATAR_TEST_TMP ?? os.tmpdir(), 'mcp-sdk-'));

// A mono 16-bit 16 kHz WAV of a tone: long enough to cancel a render mid-way.
function writeToneWav(file, seconds) {
  const rate = 16000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + n * 2, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22); buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34); buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / rate)), 44 + i * 2);
  }
  fs.writeFileSync(file, buf);
  return file;
}

function filesUnder(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(suffix));
}

async function connect(dataDir) {
  const transport = new StdioClientTransport({
    command: BIN,
    args: ['mcp', '--data-dir', dataDir],
    env: { ...process.env },  // the SDK passes only a few variables by default
    stderr: 'pipe',
  });
  const stderr = [];
  transport.stderr.on('data', (chunk) => stderr.push(String(chunk)));
  // Every message the client receives, as the server sent it.
  const received = [];
  let handler;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (h) => { handler = h && ((message, extra) => { received.push(message); h(message, extra); }); },
  });
  const client = new Client({ name: 'avatar-renderer-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr, received };
}

describe('avatar-renderer mcp with the official SDK client', { skip: missing }, () => {
  let session;
  const dataDir = path.join(work, 'sdk-data');

  before(async () => { session = await connect(dataDir); });
  after(async () => { await session?.client.close(); });

  test('handshake negotiates 2025-11-25', () => {
    const info = session.client.getServerVersion();
    assert.equal(info.name, 'avatar-renderer');
    assert.ok(session.client.getServerCapabilities().tools);
    const init = session.received.find((m) => m.result?.protocolVersion);
    assert.equal(init.result.protocolVersion, '2025-11-25');
    assert.match(session.client.getInstructions(), /render_avatar/);
  });

  test('ping', async () => {
    assert.deepEqual(await session.client.ping(), {});
  });

  test('tools/list has render_avatar with the seed parameters and output schema', async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['cancel_job', 'get_job', 'list_jobs', 'list_models', 'render_avatar']);
    const render = tools.find((t) => t.name === 'render_avatar');
    const input = render.inputSchema;
    assert.deepEqual(input.required, ['avatar_path', 'audio_path']);
    for (const p of ['avatar_path', 'audio_path', 'driver_video', 'viseme_json', 'quality_mode',
                     'width', 'height', 'fps', 'enhancer', 'head_motion']) {
      assert.ok(input.properties[p], `inputSchema lacks ${p}`);
    }
    assert.deepEqual(input.properties.quality_mode.enum, ['auto', 'real_time', 'high_quality']);
    assert.equal(input.properties.quality_mode.default, 'auto');
    assert.equal(input.properties.output_path, undefined);
    assert.equal(input.additionalProperties, false);
    for (const p of ['jobId', 'output', 'qualityMode']) {
      assert.ok(render.outputSchema.required.includes(p), `outputSchema lacks ${p}`);
    }
    assert.ok(tools.find((t) => t.name === 'get_job').outputSchema);
  });

  test('render_avatar reports progress and returns a resource_link to the MP4', async () => {
    const progress = [];
    const result = await session.client.callTool(
      { name: 'render_avatar',
        arguments: { avatar_path: FACE, audio_path: SPEECH_8S, width: 128, height: 128,
                     quality_mode: 'real_time' } },
      undefined,
      { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true });
    assert.equal(result.isError, false, JSON.stringify(result));
    const out = result.structuredContent;  // validated by the SDK against outputSchema
    assert.match(out.jobId, /^[0-9a-f-]{36}$/);
    assert.equal(out.qualityMode, 'real_time');
    assert.equal(out.state, 'succeeded');
    assert.equal(out.width, 128);
    const video = fs.readFileSync(out.output);
    assert.equal(video.subarray(4, 8).toString(), 'ftyp');
    assert.equal(video.length, out.bytes);
    const link = result.content.find((c) => c.type === 'resource_link');
    assert.ok(link, 'no resource_link in the content');
    assert.equal(fileURLToPath(link.uri), out.output);
    assert.equal(link.mimeType, 'video/mp4');
    for (const c of result.content) {
      assert.ok(['text', 'resource_link'].includes(c.type), `inline content ${c.type}`);
    }
    assert.ok(progress.length >= 2, `only ${progress.length} progress notification(s)`);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i].progress > progress[i - 1].progress, 'progress must increase');
    }
    assert.ok(progress.every((p) => p.total === 1 && p.progress >= 0 && p.progress <= 1));

    const job = await session.client.callTool({ name: 'get_job', arguments: { job_id: out.jobId } });
    assert.equal(job.structuredContent.state, 'succeeded');
    assert.equal(job.structuredContent.video.path, out.output);
  });

  test('list_models and list_jobs', async () => {
    const models = await session.client.callTool({ name: 'list_models', arguments: {} });
    assert.ok(models.structuredContent.models.some((m) => m.id === 'wav2lip'));
    const jobs = await session.client.callTool({ name: 'list_jobs', arguments: { state: 'succeeded' } });
    assert.ok(jobs.structuredContent.total >= 1);
  });

  test('cancellation stops the job and removes partial output', async () => {
    const long = writeToneWav(path.join(work, 'long.wav'), 60);
    const controller = new AbortController();
    let jobId = null;
    const call = session.client.callTool(
      { name: 'render_avatar', arguments: { avatar_path: FACE, audio_path: long, width: 512, height: 512 } },
      undefined,
      { signal: controller.signal,
        onprogress: (p) => { if (p.progress >= 0.15) controller.abort('test cancels'); } });
    await assert.rejects(call);
    for (let i = 0; i < 300 && !jobId; i++) {
      const { structuredContent } = await session.client.callTool(
        { name: 'list_jobs', arguments: { limit: 1 } });
      const latest = structuredContent.jobs[0];
      if (latest.state === 'cancelled') jobId = latest.jobId;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(jobId, 'the job never reached cancelled');
    const job = await session.client.callTool({ name: 'get_job', arguments: { job_id: jobId } });
    assert.equal(job.structuredContent.state, 'cancelled');
    assert.ok(job.structuredContent.progress < 1);
    assert.equal(fs.existsSync(path.join(dataDir, 'jobs', jobId)), false);
    assert.deepEqual(filesUnder(dataDir, '.part'), []);
    // A cancelled request gets no response (MCP cancellation rules).
    await new Promise((r) => setTimeout(r, 300));
    const renderReply = (m) => (m.result?.structuredContent?.output &&
                                m.result.structuredContent.jobId === jobId) ||
                               (m.result?.isError && /^Cancelled/.test(m.result.content?.[0]?.text));
    assert.ok(!session.received.some(renderReply), 'a reply was sent for the cancelled call');
  });

  test('invalid arguments give isError results naming the argument', async () => {
    const cases = [
      [{ avatar_path: 5, audio_path: SPEECH }, /avatar_path/],
      [{ avatar_path: FACE }, /audio_path: is required/],
      [{ avatar_path: FACE, audio_path: SPEECH, sparkle: true }, /sparkle: unknown field/],
      [{ avatar_path: FACE, audio_path: SPEECH, quality_mode: 'best' }, /quality_mode/],
      [{ avatar_path: '/no/such/face.png', audio_path: SPEECH }, /InputNotFound/],
      [{ avatar_path: SPEECH, audio_path: SPEECH }, /UnsupportedMedia/],
    ];
    for (const [args, pattern] of cases) {
      const r = await session.client.callTool({ name: 'render_avatar', arguments: args });
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(r.content[0].text, pattern);
    }
    const r = await session.client.callTool({ name: 'get_job', arguments: { job_id: 'nope' } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /NotFound/);
  });

  test('unknown tool is JSON-RPC error -32602', async () => {
    await assert.rejects(
      session.client.callTool({ name: 'no_such_tool', arguments: {} }),
      (e) => e instanceof McpError && e.code === -32602 && /no_such_tool/.test(e.message));
  });

  test('an unparsable line gets -32700 and the server keeps serving', async () => {
    const errors = [];
    const onerror = session.client.onerror;
    session.client.onerror = (e) => errors.push(e);  // an error reply without a request id
    const seen = session.received;
    const before = seen.length;
    try {
      session.transport._process.stdin.write('{"this is": not json\n');
      for (let i = 0; i < 100 && !seen.slice(before).some((m) => m.error); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const parseError = seen.slice(before).find((m) => m.error);
      assert.ok(parseError, 'no error response to the unparsable line');
      assert.equal(parseError.error.code, -32700);
      assert.equal(parseError.id, undefined);
      assert.deepEqual(await session.client.ping(), {});
      const { tools } = await session.client.listTools();
      assert.equal(tools.length, 5);
      assert.ok(errors.length >= 1, 'the SDK saw the unsolicited error');
    } finally {
      session.client.onerror = onerror;
    }
  });

  test('logs go to stderr only', () => {
    assert.match(session.stderr.join(''), /avatar \[info\]/);
  });
});

// Raw stdio: one JSON object per line, both directions.
function startRaw(dataDir, extraArgs = []) {
  const child = spawn(BIN, ['mcp', '--data-dir', dataDir, ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((w) => w());
  });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, lines, exited, stderr: () => stderr,
    send: (text) => child.stdin.write(text + '\n'),
    async next(count = 1, timeoutMs = 120000) {
      const start = Date.now();
      while (lines.length < count) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out; got ${lines.join('\n')}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      return lines.splice(0, count).map((l) => JSON.parse(l));
    },
  };
}

describe('avatar-renderer mcp over raw stdio', { skip: missing }, () => {
  test('the seed line format', async () => {
    const raw = startRaw(path.join(work, 'seed-data'));
    raw.send(JSON.stringify({ tool: 'render_avatar',
                              params: { avatar_path: FACE, audio_path: SPEECH, width: 128, height: 128 } }));
    const [ok] = await raw.next();
    assert.deepEqual(Object.keys(ok).sort(), ['jobId', 'output', 'qualityMode']);
    assert.equal(ok.qualityMode, 'auto');
    assert.equal(fs.readFileSync(ok.output).subarray(4, 8).toString(), 'ftyp');
    raw.send(JSON.stringify({ tool: 'paint_portrait', params: {} }));
    assert.equal((await raw.next())[0].error, 'unknown_tool');
    raw.send(JSON.stringify({ tool: 'render_avatar', params: { avatar_path: FACE } }));
    assert.equal((await raw.next())[0].error, 'missing_audio_path');
    raw.send(JSON.stringify({ tool: 'render_avatar', params: { audio_path: SPEECH } }));
    assert.equal((await raw.next())[0].error, 'missing_avatar_path');
    raw.send(JSON.stringify({ tool: 'render_avatar', params: { avatar_path: '/nope.png', audio_path: SPEECH } }));
    const [notFound] = await raw.next();
    assert.equal(notFound.error, 'input_not_found');
    assert.match(notFound.detail, /nope\.png/);
    raw.child.stdin.end();
    assert.equal(await raw.exited, 0);
  });

  test('version negotiation, JSON-RPC errors, stdout hygiene and exit at end of input', async () => {
    const raw = startRaw(path.join(work, 'raw-data'));
    const init = (id, version) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize',
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    raw.send(init(1, '2025-03-26'));
    assert.equal((await raw.next())[0].result.protocolVersion, '2025-03-26');
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    const [old] = await raw.next();
    assert.equal(old.result.tools.find((t) => t.name === 'render_avatar').outputSchema, undefined);
    raw.send(init(3, '2025-06-18'));
    assert.equal((await raw.next())[0].result.protocolVersion, '2025-06-18');
    raw.send(init(4, '1999-01-01'));
    assert.equal((await raw.next())[0].result.protocolVersion, '2025-11-25');
    raw.send('not json at all');
    const [parse] = await raw.next();
    assert.equal(parse.error.code, -32700);
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'resources/list' }));
    assert.equal((await raw.next())[0].error.code, -32601);
    raw.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));  // no reply
    raw.send(JSON.stringify([{ jsonrpc: '2.0', id: 6, method: 'ping' }]));
    assert.equal((await raw.next())[0].error.code, -32600);
    // A call in flight at end of input is still answered, then the server exits.
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call',
      params: { name: 'render_avatar', arguments: { avatar_path: FACE, audio_path: SPEECH, width: 64, height: 64 } } }));
    raw.child.stdin.end();
    const [last] = await raw.next();
    assert.equal(last.id, 7);
    assert.equal(last.result.structuredContent.state, 'succeeded');
    assert.equal(await raw.exited, 0);
    assert.equal(raw.lines.length, 0, 'nothing else on stdout');
    assert.match(raw.stderr(), /MCP server ready/);
  });

  test('SIGTERM cancels the render in flight and exits', async () => {
    const dataDir = path.join(work, 'term-data');
    const raw = startRaw(dataDir);
    const long = writeToneWav(path.join(work, 'term.wav'), 60);
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call',
      params: { name: 'render_avatar', _meta: { progressToken: 'p' },
                arguments: { avatar_path: FACE, audio_path: long, width: 512, height: 512 } } }));
    for (;;) {  // wait until the render itself runs
      const [note] = await raw.next();
      if (note.method === 'notifications/progress' && note.params.progress >= 0.15) break;
    }
    raw.child.kill('SIGTERM');
    assert.equal(await raw.exited, 0);
    assert.deepEqual(filesUnder(dataDir, '.mp4'), []);
    assert.deepEqual(filesUnder(dataDir, '.part'), []);
    assert.match(raw.stderr(), /cancelled/);
  });
});

after(() => fs.rmSync(work, { recursive: true, force: true }));
