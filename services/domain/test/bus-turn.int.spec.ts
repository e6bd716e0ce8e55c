import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { describe, expect, it } from 'vitest';
import { CommandBus, type CommandDefinition, defineCommand } from '../src/kernel/command.ts';
import { InFlightAppends } from '../src/kernel/handler.ts';
import { Lookups } from '../src/kernel/lookups.ts';
import type { CommandContext } from '../src/kernel/messages.ts';
import { StateCache } from '../src/kernel/state-cache.ts';
import { registerPerson } from '../src/person/commands.ts';
import { personDecider, personStream } from '../src/person/decider.ts';
import { registry } from '../src/registry.ts';

const staff = (): CommandContext => ({ commandId: randomUUID(), actor: { personId: 's', role: 'staff' }, occurredAt: '2023-01-01T00:00:00.000Z' });

describe("a command's lookups and its stream's turn", () => {
  it('run lookups of the command’s own stream inside the turn, where they see the commands ahead of it', async () => {
    const testDb = await testTargets[0]!.open();
    try {
      const store = await SqlEventStore.open(testDb.db);
      const cache = new StateCache();
      const inFlight = new InFlightAppends();
      /** What each run of the probe's lookups saw of the person: registered or not. */
      const seen: boolean[] = [];
      // A command on the person's stream whose lookups read that same stream.
      const probe = defineCommand({
        ...registerPerson,
        name: 'RegisterPersonLookingFirst',
        async toCommand(data, { lookups }) {
          const { state } = await lookups.state(personDecider, personStream(data.personId));
          seen.push(state.registered);
          return { type: 'RegisterPerson' as const, data };
        },
      });
      const bus = new CommandBus(
        store,
        registry,
        new Lookups(store, registry, cache, inFlight),
        [registerPerson, probe] as unknown as CommandDefinition[],
        cache,
        inFlight,
      );
      const personId = randomUUID();
      const input = { personId, name: '甲' };
      // Sent together: the registration takes the stream's turn first; the probe's lookups, read
      // before its turn, may not see it, so they are run again inside the turn, after it.
      const [registered, probed] = await Promise.allSettled([
        bus.execute('RegisterPerson', input, staff()),
        bus.execute('RegisterPersonLookingFirst', input, staff()),
      ]);
      expect(registered.status).toBe('fulfilled');
      expect(probed).toMatchObject({ status: 'rejected', reason: { code: 'person-exists' } });
      expect(seen.at(-1)).toBe(true);
      expect(seen).toHaveLength(2);
      // Noticed once: the next such command runs its lookups inside the turn only.
      await expect(bus.execute('RegisterPersonLookingFirst', input, staff())).rejects.toMatchObject({ code: 'person-exists' });
      expect(seen).toEqual([seen[0], true, true]);
    } finally {
      await testDb.dispose();
    }
  });
});
