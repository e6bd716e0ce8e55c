/**
 * A small county for the integration tests of the act areas (service, suggestion, report): a
 * term, three county deputies and a standing-committee member, on a fresh store.
 */
import { randomUUID } from 'node:crypto';
import type { TestDb, TestTarget } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { createDomain, type Domain } from '../../src/commands.ts';
import type { Role } from '../../src/kernel/roles.ts';
import type { CommandContext, Event } from '../../src/kernel/messages.ts';
import { registry } from '../../src/registry.ts';
import { noRecords, trackRecords, type RecordStatus, type Records } from '../../src/review/records.ts';

export interface Member {
  personId: string;
  mandateId: string;
}

/** The day the commands are issued in these tests: 2024-06-01 in the county. */
export const TODAY = '2024-06-01';

export interface County {
  testDb: TestDb;
  store: SqlEventStore;
  domain: Domain;
  lead: Member;
  coSigner: Member;
  otherDeputy: Member;
  committeeMember: Member;
  staffId: string;
  /** A context for a command by `personId` in `role` (staff by default). */
  as(role?: Role, personId?: string): CommandContext;
  /** The review status of a record, folded from its stream. */
  statusOf(streamId: string, recordId: string): Promise<RecordStatus | undefined>;
}

export async function openCounty(target: TestTarget): Promise<County> {
  const testDb = await target.open();
  const store = await SqlEventStore.open(testDb.db);
  const domain = createDomain(store);
  const staffId = randomUUID();
  const as = (role: Role = 'staff', personId = staffId): CommandContext => ({
    commandId: randomUUID(),
    actor: { personId, role },
    occurredAt: `${TODAY}T02:00:00.000Z`,
  });
  const termId = randomUUID();
  await domain.bus.execute('OpenTerm', { termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30' }, as('admin'));
  const member = async (name: string, kind: 'deputy' | 'committee-member'): Promise<Member> => {
    const personId = randomUUID();
    const mandateId = randomUUID();
    await domain.bus.execute('RegisterPerson', { personId, name }, as());
    await domain.bus.execute(
      'StartMandate',
      { mandateId, personId, termId, kind, level: kind === 'deputy' ? 'county' : null, township: '石羊镇', publicServant: false, startsOn: '2021-10-01' },
      as(),
    );
    return { personId, mandateId };
  };
  return {
    testDb,
    store,
    domain,
    lead: await member('王芳', 'deputy'),
    coSigner: await member('李强', 'deputy'),
    otherDeputy: await member('赵敏', 'deputy'),
    committeeMember: await member('陈刚', 'committee-member'),
    staffId,
    as,
    async statusOf(streamId, recordId) {
      const events = (await store.readStream(streamId)).map((stored) => registry.read<Event>(stored));
      return events.reduce<Records>(trackRecords, noRecords).get(recordId)?.status;
    },
  };
}
