/**
 * What every domain command answers when it is recorded: `CommandResult`, one shape for all. A
 * command mutation's payload is the union `<Command>Payload = CommandResult | Rejection` (the
 * errors plugin's `directResult`, builder.ts names the union).
 */
import type { StoredEvent } from '@yingpan/event-store';
import { builder } from './builder.ts';

export interface CommandResultRow {
  events: StoredEvent[];
  duplicate: boolean;
  position: number;
}

const CommandEventRef = builder.objectRef<StoredEvent>('CommandEvent').implement({
  description: 'An event a command appended to the log (or had appended, for a retry).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The event id (UUID).' }),
    position: t.exposeInt('position', { description: 'Place in the global log (1, 2, 3 …).' }),
    type: t.exposeString('type', { description: 'The event type, e.g. "StationVisitRecorded".' }),
    streamId: t.exposeString('streamId', { description: 'The stream it belongs to, "<category>:<id>".' }),
    streamVersion: t.exposeInt('streamVersion', { description: 'Its place in the stream: 1 for the stream’s first event.' }),
  }),
});

export const CommandResultRef = builder.objectRef<CommandResultRow>('CommandResult').implement({
  description:
    'What a command recorded, answered once its events are durable in the log. The read models follow within moments: to read them as they stand after this command, send `position` back as the `X-Consistent-With` header of the next requests (their reads wait until the read models they read have applied the log that far).',
  fields: (t) => ({
    events: t.field({
      type: [CommandEventRef],
      description: 'The events appended, in order (none when the command changed nothing).',
      resolve: (row) => row.events,
    }),
    duplicate: t.exposeBoolean('duplicate', {
      description: 'True when this command id had already been recorded: nothing new was written, `events` are the earlier ones.',
    }),
    position: t.exposeInt('position', {
      description:
        'Log position of the command’s last event; 0 when it recorded nothing. The consistency token: a request with the header `X-Consistent-With: <position>` reads the read models as they stand once they have applied it.',
    }),
  }),
});
