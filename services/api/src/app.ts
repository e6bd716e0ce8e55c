/** The HTTP surface: GraphQL at /graphql, liveness at /health, readiness at /ready; the import, evidence files and the auditor's kit beside it. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { now, ValidationError } from '@yingpan/domain';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { z } from 'zod';
import { actorOf } from './auth.ts';
import { FILES_PATH, filesHandler } from './files-http.ts';
import { IMPORT_PATH, importHandler } from './import-http.ts';
import { isKitRequest, kitHandler } from './kit-http.ts';
import { maskUnavailable } from './ha.ts';
import { readiness, systemStatus } from './health.ts';
import { accountServiceFor, clientAddress } from './auth-accounts.ts';
import { ssoServiceFor } from './auth-sso.ts';
import { passkeyServiceFor } from './auth-passkeys.ts';
import { CONSISTENCY_HEADER, consistentDb, POSITION_EXTENSION, requestedPosition } from './consistency.ts';
import type { Context } from './context.ts';
import type { Runtime } from './runtime.ts';
import { schema } from './schema/index.ts';
import { createLiveFeed, type LiveContext } from './schema/live.ts';
import { limitRefusal } from './limits-wording.ts';
import { compiledExecution } from './compiled-execution.ts';
import { type ErrorCode, oneErrorVocabulary } from './errors.ts';

const instant = z.iso.datetime({ offset: true });

/**
 * What one request may ask for. A document over a limit is refused before it runs, with a
 * GraphQL error naming the limit. The largest documents in the API tests reach depth 7, one
 * alias and 200 tokens.
 */
export const LIMITS = {
  /** Request body in bytes: a larger one gets 413 before it is parsed (the web server's limit too, 512 KB). */
  bodyBytes: 512 * 1024,
  /** Nesting of selections (a connection's `edges { node { … } }` counts two). */
  depth: 12,
  /** Aliased fields in one operation (`__typename` aliases are free). */
  aliases: 15,
  /** Lexical tokens in the document, checked while parsing. */
  tokens: 2000,
  /**
   * graphql-armor's cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`/`last`. The
   * handover dossier with three `first: 100` pages costs about 20 000. Breadth is bounded anyway
   * by the token limit and MAX_PAGE_SIZE; this refuses documents that multiply pages by nesting.
   */
  cost: 50_000,
  /** Directives in one operation. */
  directives: 50,
} as const;

/** A limit's refusal as an ordinary validation error (HTTP 400 for GraphQL-over-HTTP clients), not a thrown one. */
const reported = {
  propagateOnRejection: false,
  // Said in Chinese, with the figure and the limit (limits-wording.ts), not as a "Syntax Error".
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitRefusal(error))],
};

/** An error as one line: its name and message, its cause's, and where it was thrown. */
export function oneLine(value: unknown): string {
  if (!(value instanceof Error)) return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const inner = (value as { originalError?: unknown }).originalError;
  if (inner instanceof Error && inner !== value) return oneLine(inner);
  const cause = value.cause instanceof Error ? ` (cause: ${value.cause.name}: ${value.cause.message})` : '';
  const at = value.stack
    ?.split('\n')
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  return `${value.name}: ${value.message}${cause}${at ? ` [${at}]` : ''}`;
}

/**
 * The server's log: one line per unexpected error (the client sees only "Unexpected error."), not a
 * stack each — during a database outage every request fails, and a stack apiece buried the log.
 */
const logging = {
  debug: () => {},
  info: (...args: unknown[]) => console.info(...args),
  warn: (...args: unknown[]) => console.warn(...args.map(oneLine)),
  error: (...args: unknown[]) => console.error('ERR', args.map(oneLine).join(' ')),
};

/** Adds `extensions.logPosition` to the answer of a request whose mutations wrote events (consistency.ts). */
const reportPosition: Plugin<Context> = {
  onExecute({ args }) {
    return {
      onExecuteDone({ result, setResult }) {
        const position = args.contextValue.written?.position ?? 0;
        if (position === 0 || Symbol.asyncIterator in result) return;
        setResult({ ...result, extensions: { ...result.extensions, [POSITION_EXTENSION]: position } });
      },
    };
  },
};

export interface AppOptions {
  /** Run the dashboard's list-shaped queries compiled (compiled-execution.ts; default true). */
  compiledExecution?: boolean;
  /** Hears the name of each operation run compiled. */
  onCompiled?: (operationName: string | undefined) => void;
}

export function createApp(runtime: Runtime, options: AppOptions = {}) {
  const live = createLiveFeed({
    projections: () => runtime.projector.status(),
    head: () => runtime.store.head(),
    waitForAppend: (position, timeoutMs, signal) => runtime.store.waitForAppend(position, timeoutMs, signal),
    batches: { count: () => runtime.projectorBatches(), wait: (after, timeoutMs, signal) => runtime.waitForBatch(after, timeoutMs, signal) },
  });
  const accounts = accountServiceFor(runtime);
  const sso = ssoServiceFor(runtime, accounts);
  const passkeys = passkeyServiceFor(runtime, accounts);
  return createYoga<{ req?: { socket?: { remoteAddress?: string } } }, Context & LiveContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // No CORS: browsers reach the API only through the web server, on the page's own origin. (Yoga's
    // default echoed any Origin with credentials allowed, so any page could read signed-in answers.)
    cors: false,
    // Masked, but a database that is away answers the typed, retryable database-unavailable (ha.ts).
    maskedErrors: { maskError: maskUnavailable(maskError) },
    logging,
    batching: false,
    maxRequestBodySize: LIMITS.bodyBytes,
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.depth, ignoreIntrospection: true, ...reported },
        maxAliases: { n: LIMITS.aliases, ...reported },
        maxTokens: { n: LIMITS.tokens },
        costLimit: { maxCost: LIMITS.cost, ignoreIntrospection: true, ...reported },
        maxDirectives: { n: LIMITS.directives, ...reported },
        // Introspection is open, so hiding "Did you mean …" would protect nothing.
        blockFieldSuggestion: { enabled: false },
      }),
      reportPosition,
      oneErrorVocabulary,
      ...(options.compiledExecution === false ? [] : compiledExecution(options.onCompiled)),
    ],
    // A request's actor comes from its bearer token (none: the public; a bad one: 401).
    context: async ({ request, req }) => {
      const actor = await actorOf(request, runtime.tokens, accounts);
      const client = { address: clientAddress(request, req?.socket?.remoteAddress), userAgent: request.headers.get('user-agent') ?? '' };
      // A request naming a log position reads the read models once they reflect it (consistency.ts).
      const position = requestedPosition(request.headers.get(CONSISTENCY_HEADER));
      const db = position === null ? runtime.db : consistentDb(runtime.db, position, (models, at) => runtime.waitForModels(models, at));
      return {
        live,
        db,
        store: runtime.store,
        commands: runtime.commands,
        transparency: runtime.transparency,
        actor,
        accounts,
        sso,
        passkeys,
        client,
        system: () => systemStatus(runtime),
        written: { position: 0 },
        commandContext(commandId, occurredAt) {
          if (occurredAt !== undefined && (!instant.safeParse(occurredAt).success || Date.parse(occurredAt) > now().getTime() + 60_000)) {
            throw new ValidationError([{ field: 'occurredAt', message: 'must be an ISO 8601 instant that is not in the future' }]);
          }
          return { commandId, actor, occurredAt: occurredAt ?? now().toISOString(), correlationId: randomUUID() };
        },
      };
    },
  });
}

export function createHttpServer(runtime: Runtime): Server {
  const yoga = createApp(runtime);
  // The same sign-ins as /graphql: service tokens and password sessions.
  const imports = importHandler(runtime, (request) => actorOf(request, runtime.tokens, accountServiceFor(runtime)));
  const files = filesHandler(runtime, (request) => actorOf(request, runtime.tokens, accountServiceFor(runtime)));
  const kits = kitHandler(runtime, (request) => actorOf(request, runtime.tokens, accountServiceFor(runtime)));
  return createServer(async (request, response) => {
    // The Excel import takes its file in parts of its own size (import-http.ts); evidence files too (files-http.ts).
    if (request.url?.startsWith(IMPORT_PATH)) return imports(request, response);
    // The auditor's kit of a person's term or a station's year (kit-http.ts).
    const routed = request.url?.startsWith(FILES_PATH) ? files : isKitRequest(request.url) ? kits : null;
    if (routed) {
      return routed(request, response).catch((error: unknown) => {
        logging.error(error);
        if (!response.headersSent)
          response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { zh: '服务器出错，请稍后重试', en: 'Server error' } }));
      });
    }
    // Refused before a byte of the body is read (yoga also counts the bytes of a chunked body).
    if (Number(request.headers['content-length']) > LIMITS.bodyBytes) {
      response.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(bodyTooLarge));
      return;
    }
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

const tooLargeCode: ErrorCode = 'request-too-large';
const bodyTooLarge = {
  errors: [
    {
      message: `Request body too large (limit ${LIMITS.bodyBytes} bytes)`,
      extensions: {
        code: tooLargeCode,
        messageEn: `Request body too large (limit ${LIMITS.bodyBytes} bytes)`,
        messageZh: `请求内容过大（上限 ${LIMITS.bodyBytes} 字节）`,
      },
    },
  ],
};
