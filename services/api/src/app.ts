/** The HTTP surface: GraphQL at /graphql, liveness at /health, readiness at /ready. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ValidationError } from '@yingpan/domain';
import { createYoga } from 'graphql-yoga';
import { z } from 'zod';
import type { Actor, Context } from './context.ts';
import type { Runtime } from './runtime.ts';
import { schema } from './schema/index.ts';

/** Until sign-in exists, every request acts as the local office operator. */
export const LOCAL_OPERATOR: Actor = { personId: 'local-operator', role: 'staff' };

const instant = z.iso.datetime({ offset: true });

export function createApp(runtime: Runtime) {
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: true,
    context: () => ({
      db: runtime.db,
      store: runtime.store,
      commands: runtime.commands,
      actor: LOCAL_OPERATOR,
      waitForProjections: (position) => runtime.waitForProjections(position),
      commandContext(commandId, occurredAt) {
        if (occurredAt !== undefined && (!instant.safeParse(occurredAt).success || Date.parse(occurredAt) > Date.now() + 60_000)) {
          throw new ValidationError([{ field: 'occurredAt', message: 'must be an ISO 8601 instant that is not in the future' }]);
        }
        return { commandId, actor: LOCAL_OPERATOR, occurredAt: occurredAt ?? new Date().toISOString(), correlationId: randomUUID() };
      },
    }),
  });
}

export function createHttpServer(runtime: Runtime): Server {
  const yoga = createApp(runtime);
  return createServer(async (request, response) => {
    if (request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (request.url === '/ready') {
      const body = await readiness(runtime);
      response.writeHead(body.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    await yoga(request, response);
  });
}

/** Ready when the database answers and no projection has failed or fallen far behind. */
export async function readiness(runtime: Runtime) {
  try {
    await runtime.db.query('SELECT 1');
    const projections = await runtime.projector.status();
    const ready = projections.every((projection) => !projection.failure && projection.lagSeconds < 30);
    return { ready, projections };
  } catch (error) {
    return { ready: false, error: error instanceof Error ? error.message : String(error) };
  }
}
