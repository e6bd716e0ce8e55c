/** A small county for integration tests of act commands: a term and people holding mandates in it. */
import { randomUUID } from 'node:crypto';
import type { Domain } from '../../src/commands.ts';
import type { CommandContext } from '../../src/kernel/messages.ts';
import type { Role } from '../../src/kernel/roles.ts';
import type { MandateKind } from '../../src/mandate/events.ts';

export const STAFF_ID: string = randomUUID();

export const contextAs = (role: Role, personId = STAFF_ID, commandId = randomUUID()): CommandContext => ({
  commandId,
  actor: { personId, role },
  // After every act the tests record: no act may be dated after the day its command is issued.
  occurredAt: '2023-12-31T01:00:00.000Z',
});

export interface Holder {
  personId: string;
  mandateId: string;
}

/** Opens a term starting `startsOn` and returns a function that registers a person with a mandate in it. */
export async function openCounty(domain: Domain, startsOn = '2022-01-01') {
  const termId = randomUUID();
  await domain.bus.execute('OpenTerm', { termId, number: 18, startsOn, plannedEndOn: '2026-12-31' }, contextAs('admin'));
  return {
    termId,
    async holder(name: string, kind: MandateKind, publicServant: boolean, mandateStartsOn = startsOn): Promise<Holder> {
      const personId = randomUUID();
      const mandateId = randomUUID();
      await domain.bus.execute('RegisterPerson', { personId, name, publicServant }, contextAs('staff'));
      await domain.bus.execute(
        'StartMandate',
        {
          mandateId,
          personId,
          termId,
          kind,
          level: kind === 'deputy' ? 'county' : null,
          publicServant,
          startsOn: mandateStartsOn,
          township: kind === 'township-chair' ? '石羊镇' : null,
        },
        contextAs('staff'),
      );
      return { personId, mandateId };
    },
  };
}
