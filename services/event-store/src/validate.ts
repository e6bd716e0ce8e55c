/** The boundary check: nothing malformed reaches any adapter. */
import { z } from 'zod';
import { canonicalJson } from './canonical.ts';
import { InvalidEventError } from './errors.ts';
import type { AppendRequest } from './types.ts';

const isoInstant = z.iso.datetime({ offset: true });

const metadataSchema = z.object({
  recordedBy: z.object({ personId: z.string().min(1).max(200), role: z.string().min(1).max(100) }),
  occurredAt: isoInstant,
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
  commandId: z.string().min(1).max(200).nullable().optional(),
  source: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), sheet: z.string().min(1).max(100), row: z.number().int().min(1).max(10_000_000) }).optional(),
});

const eventSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'an event type is a PascalCase name'),
  schemaVersion: z.number().int().min(1).max(1000),
  data: z.record(z.string(), z.unknown()),
  metadata: metadataSchema,
});

const requestSchema = z.object({
  streamId: z.string().regex(/^[a-z][a-z0-9-]*:[A-Za-z0-9._:-]{1,200}$/, 'a stream id is "<category>:<id>"'),
  expectedVersion: z.union([z.number().int().min(0), z.enum(['no_stream', 'stream_exists', 'any'])]),
  events: z.array(eventSchema).min(1).max(10_000),
});

/** Checks shape, ids and that data is plain JSON; normalises instants to ISO with milliseconds. */
export function validateAppend(request: AppendRequest): AppendRequest {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new InvalidEventError(`Invalid append to ${String(request?.streamId)}: ${issues.join('; ')}`, issues);
  }
  const ids = new Set<string>();
  for (const event of parsed.data.events) {
    if (ids.has(event.id)) throw new InvalidEventError(`Event id ${event.id} appears twice in one append`);
    ids.add(event.id);
    try {
      canonicalJson(event.data);
    } catch (error) {
      throw new InvalidEventError(`Event ${event.id} data is not plain JSON: ${(error as Error).message}`);
    }
  }
  return {
    ...parsed.data,
    events: parsed.data.events.map((event) => ({
      ...event,
      id: event.id.toLowerCase(),
      metadata: {
        ...event.metadata,
        occurredAt: new Date(event.metadata.occurredAt).toISOString(),
        commandId: event.metadata.commandId ?? null,
      },
    })),
  };
}
