/** A small county for the station and opinion integration tests, written through the bus. */
import { randomUUID } from 'node:crypto';
import type { Domain } from '../../src/commands.ts';
import type { CommandContext } from '../../src/kernel/messages.ts';
import type { Role } from '../../src/kernel/roles.ts';

export const as = (role: Role, personId: string = randomUUID()): CommandContext => ({
  commandId: randomUUID(),
  actor: { personId, role },
  // After every act the tests record: no act may be dated after the day its command is issued.
  occurredAt: '2023-12-31T01:00:00.000Z',
});
export const staff = () => as('staff', 'staff-1');

export interface Holder {
  personId: string;
  mandateId: string;
}

export interface County {
  /** A county deputy (县人大代表), not a public servant. */
  deputy: Holder;
  /** A township deputy (乡镇人大代表). */
  townshipDeputy: Holder;
  /** The township chair (乡镇人大主席) of 龙台镇. */
  chair: Holder;
}

export async function seedCounty(domain: Domain): Promise<County> {
  const termId = randomUUID();
  await domain.bus.execute('OpenTerm', { termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30' }, as('admin'));
  const holder = async (name: string, mandate: Record<string, unknown>): Promise<Holder> => {
    const personId = randomUUID();
    const mandateId = randomUUID();
    await domain.bus.execute('RegisterPerson', { personId, name }, staff());
    await domain.bus.execute('StartMandate', { mandateId, personId, termId, publicServant: false, startsOn: '2021-10-01', ...mandate }, staff());
    return { personId, mandateId };
  };
  return {
    deputy: await holder('张代表', { kind: 'deputy', level: 'county', district: '第 12 选区' }),
    townshipDeputy: await holder('李代表', { kind: 'deputy', level: 'township', township: '龙台镇' }),
    chair: await holder('赵主席', { kind: 'township-chair', township: '龙台镇' }),
  };
}

/** A liaison station of 龙台镇 with its chair as manager and both deputies assigned. */
export async function seedStation(domain: Domain, county: County, stationId = randomUUID()): Promise<string> {
  await domain.bus.execute(
    'EstablishStation',
    { stationId, type: 'liaison-station', name: '龙台镇代表联络站', township: '龙台镇', address: '龙台镇人民政府二楼', establishedOn: '2022-01-10' },
    staff(),
  );
  await domain.bus.execute(
    'AssignStationManager',
    { stationId, managerPersonId: county.chair.personId, managerMandateId: county.chair.mandateId, assignedOn: '2022-01-10' },
    staff(),
  );
  for (const deputy of [county.deputy, county.townshipDeputy]) {
    await domain.bus.execute('AssignDeputyToStation', { stationId, ...deputy, assignedOn: '2022-02-01' }, as('station-manager', county.chair.personId));
  }
  return stationId;
}
