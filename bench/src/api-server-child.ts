/**
 * The API server for the load and live benchmarks, in a Node.js process of its own (started by
 * api-server.ts), so that the load generator does not share its event loop and its memory is
 * the server's alone. It is what services/api/src/main.ts runs: `openRuntime` on PostgreSQL, the
 * projector following the log in-process, `createHttpServer`, here on an ephemeral port.
 *
 * Talks to its parent over IPC: sends `ready` (port, a staff token, memory at rest); answers
 * `memory` (figures now and the peaks since the last reset) and `stop`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createHttpServer, openRuntime } from '@yingpan/api';
import { MemorySampler, memoryNow } from './memory.ts';
import type { ChildReply, ParentRequest } from './api-server.ts';

const send = (message: ChildReply) => process.send!(message);
const databaseUrl = process.env.BENCH_API_DATABASE_URL;
const tokenSecret = process.env.BENCH_API_TOKEN_SECRET;
if (!databaseUrl || !tokenSecret || !process.send) throw new Error('api-server-child.ts is started by api-server.ts');

// The parent made the signing secret, so it can mint sign-ins of its own (for the browser in bench:pages).
const runtime = await openRuntime({ databaseUrl, dataDir: 'unused', tokenSecret });
await runtime.projector.catchUp();
runtime.startProjector();
const server = createHttpServer(runtime);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const token = await runtime.tokens.mint({ role: 'staff', expiresIn: '1h' });
const sampler = new MemorySampler().start();

process.on('message', (message: ParentRequest) => {
  if (message.type === 'memory') {
    send({ type: 'memory', id: message.id, now: memoryNow(), peak: message.reset ? sampler.reset() : sampler.peak() });
  } else if (message.type === 'stop') {
    sampler.stop();
    server.closeAllConnections();
    server.close();
    void runtime.close().finally(() => process.exit(0));
  }
});
// The parent gone (ended or crashed): stop too, rather than serve nobody.
process.once('disconnect', () => process.exit(0));
send({ type: 'ready', port: (server.address() as AddressInfo).port, token, memory: memoryNow() });
