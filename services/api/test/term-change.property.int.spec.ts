/**
 * Property: over generated histories with a term change — deputies and chairs, some re-elected,
 * some resigned before the close, stations with deputies and a manager, pairings — after the close,
 * the next term's opening and the completed change, no station assignment, manager role or pairing
 * is held under an ended mandate; a re-elected deputy can do every kind of act in the new term; and
 * the change has nothing left to do.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import {
  completeTermChange,
  createDomain,
  type CommandContext,
  type Domain,
  mandateValidTo,
  pairingDecider,
  pairingStream,
  planTermChange,
  stationDecider,
  stationStream,
  type TermChangeFinder,
} from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLOSED_ON = '2026-11-19';
const FIRST_DAY = '2026-11-20';
const ACT_DAY = '2026-11-25';

const deputyArb = fc.record({ publicServant: fc.boolean(), reElected: fc.boolean(), resigned: fc.boolean(), station: fc.nat(1) });
const historyArb = fc.record({
  deputies: fc.array(deputyArb, { minLength: 2, maxLength: 6 }),
  chairsReElected: fc.tuple(fc.boolean(), fc.boolean()),
  pairings: fc.array(fc.record({ mentor: fc.nat(5), mentees: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
});

const target = testTargets[0]!;

describe.skipIf(target.skipReason !== null)(`term changes over generated histories, on ${target.name}`, () => {
  let testDb: TestDb;
  let domain: Domain;
  const as = (role = 'staff'): CommandContext => ({ commandId: randomUUID(), actor: { personId: randomUUID(), role }, occurredAt: '2026-12-01T02:00:00.000Z' });
  const run = (name: string, input: object, role = 'staff') => domain.bus.execute(name, input, as(role));

  beforeAll(async () => {
    testDb = await target.open();
    domain = createDomain(await SqlEventStore.open(testDb.db));
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('leaves nothing held under an ended mandate, and the re-elected act in the new term', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const [term18, term19] = [randomUUID(), randomUUID()];
        const termMandates = new Map<string, string[]>();
        const personMandates = new Map<string, string[]>();
        const pairingIds: string[] = [];
        const finder: TermChangeFinder = {
          mandatesOfTerm: async (termId) => termMandates.get(termId) ?? [],
          mandatesOfPeople: async (ids) => ids.flatMap((id) => personMandates.get(id) ?? []),
          stations: async () => stations,
          openPairings: async () => pairingIds,
        };
        const seat = async (personId: string, termId: string, kind: string, publicServant: boolean, township: string, startsOn: string) => {
          const mandateId = randomUUID();
          await run('StartMandate', {
            mandateId,
            personId,
            termId,
            kind,
            level: kind === 'deputy' ? 'county' : null,
            township,
            district: kind === 'deputy' ? `${township}第1选区` : null,
            publicServant,
            startsOn,
          });
          termMandates.set(termId, [...(termMandates.get(termId) ?? []), mandateId]);
          personMandates.set(personId, [...(personMandates.get(personId) ?? []), mandateId]);
          return mandateId;
        };
        const person = async (publicServant: boolean) => {
          const personId = randomUUID();
          await run('RegisterPerson', { personId, name: '测试代表', publicServant });
          return personId;
        };

        await run('OpenTerm', { termId: term18, number: 18, startsOn: '2021-11-20', plannedEndOn: CLOSED_ON }, 'admin');
        const townships = ['石羊镇', '龙台镇'];
        const stations = [randomUUID(), randomUUID()];
        const chairs = [];
        for (const [index, stationId] of stations.entries()) {
          await run('EstablishStation', {
            stationId,
            type: 'liaison-station',
            name: `${townships[index]}联络站`,
            township: townships[index],
            address: '镇政府',
            establishedOn: '2021-12-01',
          });
          const personId = await person(true);
          const mandateId = await seat(personId, term18, 'township-chair', true, townships[index]!, '2021-11-20');
          await run('AssignStationManager', { stationId, managerPersonId: personId, managerMandateId: mandateId, assignedOn: '2021-12-01' });
          chairs.push({ personId, mandateId, township: townships[index]!, reElected: history.chairsReElected[index]! });
        }
        const deputies: ((typeof history.deputies)[number] & { personId: string; mandateId: string; township: string })[] = [];
        for (const spec of history.deputies) {
          const personId = await person(spec.publicServant);
          const mandateId = await seat(personId, term18, 'deputy', spec.publicServant, townships[spec.station]!, '2021-11-20');
          await run('AssignDeputyToStation', { stationId: stations[spec.station], personId, mandateId, assignedOn: '2021-12-01' });
          if (spec.resigned) await run('EndMandate', { mandateId, endsOn: '2024-06-30', reason: 'resignation' });
          deputies.push({ ...spec, personId, mandateId, township: townships[spec.station]! });
        }
        for (const pairing of history.pairings) {
          const mentor = deputies[pairing.mentor % deputies.length]!;
          const mentees = pairing.mentees.map((index) => deputies[index % deputies.length]!).filter((mentee) => mentee !== mentor && !mentee.publicServant);
          if (!mentor.publicServant || mentees.length === 0 || [mentor, ...mentees].some((member) => member.resigned)) continue;
          const pairingId = randomUUID();
          await run('FormPairing', {
            pairingId,
            kind: 'deputy-mentoring',
            mentorPersonId: mentor.personId,
            mentorMandateId: mentor.mandateId,
            mentees: [...new Set(mentees)].map(({ personId, mandateId }) => ({ personId, mandateId })),
            startsOn: '2022-03-01',
          });
          pairingIds.push(pairingId);
        }

        // The change: close, open, the re-elected (not those who resigned) take new seats.
        await run('CloseTerm', { termId: term18, closedOn: CLOSED_ON }, 'admin');
        await run('OpenTerm', { termId: term19, number: 19, startsOn: FIRST_DAY, plannedEndOn: '2031-11-19' }, 'admin');
        const reElected = [];
        for (const deputy of deputies) {
          if (!deputy.reElected || deputy.resigned) continue;
          reElected.push({ ...deputy, newMandateId: await seat(deputy.personId, term19, 'deputy', deputy.publicServant, deputy.township, FIRST_DAY) });
        }
        for (const chair of chairs) if (chair.reElected) await seat(chair.personId, term19, 'township-chair', true, chair.township, FIRST_DAY);

        const outcome = await completeTermChange(domain.bus, domain.lookups, finder, term18, {
          actor: { personId: randomUUID(), role: 'staff' },
          occurredAt: '2026-12-01T02:00:00.000Z',
        });
        expect(outcome.refused).toEqual([]);
        expect((await planTermChange(domain.lookups, finder, term18)).steps).toEqual([]);

        const ended = async (mandateId: string) => {
          const validTo = await mandateValidTo(domain.lookups, mandateId);
          return validTo !== null && validTo !== undefined && validTo < FIRST_DAY;
        };
        for (const stationId of stations) {
          const { state } = await domain.lookups.state(stationDecider, stationStream(stationId));
          if (state.status === 'none') throw new Error('station missing');
          for (const assignment of state.assignments.filter((entry) => entry.unassignedOn === null)) expect(await ended(assignment.mandateId)).toBe(false);
          const manager = state.managers.at(-1)!;
          if (manager.endedOn === null) expect(await ended(manager.mandateId)).toBe(false);
          else expect(chairs.find((chair) => chair.personId === manager.personId)!.reElected).toBe(false);
        }
        for (const pairingId of pairingIds) {
          const { state } = await domain.lookups.state(pairingDecider, pairingStream(pairingId));
          if (state.status !== 'active') continue;
          if (state.mentorVacantFrom === null) expect(await ended(state.mentors.at(-1)!.mandateId)).toBe(false);
          for (const personId of state.menteePersonIds) expect(await ended(state.menteeMandates[personId]!)).toBe(false);
        }

        // Every kind of act by a re-elected deputy, in the new mandate, at the station they stayed at.
        for (const deputy of reElected) {
          const who = { personId: deputy.personId, mandateId: deputy.newMandateId };
          const stationId = stations[deputy.station]!;
          await run('RecordStationVisit', { recordId: randomUUID(), stationId, ...who, date: ACT_DAY, summary: '进站接待选民' });
          await run('RecordVoterReception', {
            stationId,
            receptionId: randomUUID(),
            date: ACT_DAY,
            votersReceived: 2,
            deputies: [{ recordId: randomUUID(), ...who }],
          });
          await run('RegisterOpinion', {
            opinionId: randomUUID(),
            stationId,
            receivedByPersonId: deputy.personId,
            voter: { name: '选民', phone: null, address: null },
            content: '道路维修',
            category: '交通',
            registeredOn: ACT_DAY,
            deadline: '2026-12-31',
          });
          await run('RecordHomeVisit', { recordId: randomUUID(), ...who, date: ACT_DAY, place: '村委会', visited: '村民', summary: '回选区' });
          await run('DraftSuggestion', {
            suggestionId: randomUUID(),
            kind: 'suggestion',
            title: '建议',
            content: '建议内容',
            leadPersonId: deputy.personId,
            leadMandateId: deputy.newMandateId,
            draftedOn: ACT_DAY,
          });
        }
      }),
      { numRuns: 6 },
    );
  }, 600_000);
});
