/**
 * A term change recorded through the API, as the issue describes it: at the close of term 18, 7
 * opinions are open, 3 suggestions unanswered, 2 pairings have a mentor who is not re-elected, and
 * 1 station's manager changes. Staff see the steps that complete the change, take them in one
 * confirmed step, and then: all 13 items are inherited or flagged, the rosters hold no one under an
 * ended mandate, every seat shows why it ended, and the re-elected deputies' acts in the new term
 * are accepted.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SCORING_RULES_2021, type CommandContext } from '@yingpan/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';

const CLOSED_ON = '2026-11-19';
const NEW_TERM = '2026-11-20';

interface Holder {
  personId: string;
  mandateId: string;
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`completing a term change through the API, on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let staff: string;
    const gql = graphqlClient(
      () => yoga,
      () => staff,
    );
    const ok = async (query: string, variables: Record<string, unknown> = {}) => {
      const answer = await gql(query, variables);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      return answer.data;
    };
    const as = (role: string): CommandContext => ({
      commandId: randomUUID(),
      actor: { personId: randomUUID(), role },
      occurredAt: '2026-12-01T02:00:00.000Z',
    });
    const run = (name: string, input: object, role = 'staff') => runtime.commands.execute(name, input, as(role));

    const term18 = randomUUID();
    const term19 = randomUUID();
    const [s1, s2] = [randomUUID(), randomUUID()];
    const [p1, p2] = [randomUUID(), randomUUID()];
    const people: Record<string, { personId: string; m18: string; m19?: string; publicServant: boolean }> = {};

    /** A person with a mandate in term 18 and, when `reElected`, one in term 19 of the same kind and place. */
    async function holder(name: string, kind: string, publicServant: boolean, reElected: boolean, township = '石羊镇'): Promise<void> {
      const personId = randomUUID();
      const m18 = randomUUID();
      await run('RegisterPerson', { personId, name, publicServant });
      const seat = {
        personId,
        kind,
        level: kind === 'deputy' ? 'county' : null,
        township,
        district: kind === 'deputy' ? `${township}第1选区` : null,
        publicServant,
      };
      await run('StartMandate', { ...seat, mandateId: m18, termId: term18, startsOn: '2021-11-20' });
      people[name] = { personId, m18, publicServant, ...(reElected ? { m19: randomUUID() } : {}) };
    }
    const h18 = (name: string): Holder => ({ personId: people[name]!.personId, mandateId: people[name]!.m18 });
    const h19 = (name: string): Holder => ({ personId: people[name]!.personId, mandateId: people[name]!.m19! });

    beforeAll(async () => {
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      runtime.startProjector();
      yoga = createApp(runtime);
      staff = await tokenFor(runtime, 'staff');

      await run('OpenTerm', { termId: term18, number: 18, startsOn: '2021-11-20', plannedEndOn: CLOSED_ON }, 'admin');
      await holder('石主席', 'township-chair', true, true);
      await holder('李主席', 'township-chair', true, false, '龙台镇');
      await holder('赵代表', 'deputy', true, true);
      await holder('钱代表', 'deputy', false, true);
      await holder('孙代表', 'deputy', false, false);
      await holder('周代表', 'deputy', false, false, '龙台镇');
      await holder('吴帮带', 'deputy', true, false, '金龙镇');
      await holder('郑帮带', 'committee-member', true, false);
      await holder('王对象', 'deputy', false, true);
      await holder('冯对象', 'deputy', false, false);
      await holder('陈对象', 'deputy', false, true);

      const station = (stationId: string, name: string, township: string) =>
        run('EstablishStation', { stationId, type: 'liaison-station', name, township, address: `${township}政府`, establishedOn: '2021-12-01' });
      await station(s1, '石羊镇代表联络站', '石羊镇');
      await station(s2, '龙台镇代表联络站', '龙台镇');
      await run('AssignStationManager', {
        stationId: s1,
        managerPersonId: people.石主席!.personId,
        managerMandateId: people.石主席!.m18,
        assignedOn: '2021-12-01',
      });
      await run('AssignStationManager', {
        stationId: s2,
        managerPersonId: people.李主席!.personId,
        managerMandateId: people.李主席!.m18,
        assignedOn: '2021-12-01',
      });
      for (const name of ['赵代表', '钱代表', '孙代表', '王对象', '陈对象'])
        await run('AssignDeputyToStation', { stationId: s1, ...h18(name), assignedOn: '2021-12-01' });
      await run('AssignDeputyToStation', { stationId: s2, ...h18('周代表'), assignedOn: '2021-12-01' });

      // 7 opinions open at the close: 3 received by a re-elected deputy, 2 by one who is not, 2 at the station whose manager changes.
      const opinion = (stationId: string, name: string, on: string) =>
        run('RegisterOpinion', {
          opinionId: randomUUID(),
          stationId,
          receivedByPersonId: people[name]!.personId,
          voter: { name: '选民甲', phone: '13800000000', address: '石羊镇一村' },
          content: '村道破损，请求维修',
          category: '交通',
          registeredOn: on,
          deadline: '2026-12-31',
        });
      for (const on of ['2026-09-01', '2026-09-15', '2026-10-01']) await opinion(s1, '赵代表', on);
      for (const on of ['2026-10-10', '2026-10-20']) await opinion(s1, '孙代表', on);
      for (const on of ['2026-08-01', '2026-08-15']) await opinion(s2, '周代表', on);

      // 3 suggestions not answered: two leads re-elected, one not.
      for (const name of ['赵代表', '钱代表', '孙代表']) {
        const suggestionId = randomUUID();
        await run('DraftSuggestion', {
          suggestionId,
          kind: 'suggestion',
          title: `${name}关于乡村道路的建议`,
          content: '建议加快乡村道路维修。',
          leadPersonId: people[name]!.personId,
          leadMandateId: people[name]!.m18,
          draftedOn: '2026-03-01',
        });
        await run('SubmitSuggestion', { suggestionId, recordId: randomUUID(), submittedOn: '2026-03-05' });
      }

      // 2 pairings whose mentor is not re-elected.
      await run('FormPairing', {
        pairingId: p1,
        kind: 'deputy-mentoring',
        mentorPersonId: people.吴帮带!.personId,
        mentorMandateId: people.吴帮带!.m18,
        mentees: [h18('王对象'), h18('冯对象')],
        startsOn: '2022-03-01',
      });
      await run('FormPairing', {
        pairingId: p2,
        kind: 'committee-liaison',
        mentorPersonId: people.郑帮带!.personId,
        mentorMandateId: people.郑帮带!.m18,
        mentees: [h18('陈对象')],
        startsOn: '2022-03-01',
      });

      // The change: term 18 closes, term 19 opens with the re-elected and a new chair for 龙台镇.
      await run('CloseTerm', { termId: term18, closedOn: CLOSED_ON }, 'admin');
      await run('OpenTerm', { termId: term19, number: 19, startsOn: NEW_TERM, plannedEndOn: '2031-11-19' }, 'admin');
      for (const [name, person] of Object.entries(people)) {
        if (!person.m19 || !person.m18) continue;
        const kind = name.endsWith('主席') ? 'township-chair' : 'deputy';
        await run('StartMandate', {
          mandateId: person.m19,
          personId: person.personId,
          termId: term19,
          kind,
          level: kind === 'deputy' ? 'county' : null,
          township: '石羊镇',
          district: kind === 'deputy' ? '石羊镇第1选区' : null,
          publicServant: person.publicServant,
          startsOn: NEW_TERM,
        });
      }
      // 龙台镇's new chair, new in term 19.
      people.何主席 = { personId: randomUUID(), m18: '', m19: randomUUID(), publicServant: true };
      await run('RegisterPerson', { personId: people.何主席.personId, name: '何主席', publicServant: true });
      await run('StartMandate', {
        mandateId: people.何主席.m19,
        personId: people.何主席.personId,
        termId: term19,
        kind: 'township-chair',
        township: '龙台镇',
        publicServant: true,
        startsOn: NEW_TERM,
      });
      await runtime.projector.catchUp();
    }, 180_000);
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('shows the steps before taking them, then takes them in one confirmed step, and a second run has nothing left', async () => {
      const PLAN = /* GraphQL */ `query ($t: ID!) { termChangePlan(termId: $t) { __typename ... on QueryTermChangePlanSuccess { data { number closedOn steps { kind key message } } } ... on Rejection { code } } }`;
      const plan = (await ok(PLAN, { t: term18 })).termChangePlan.data;
      expect(plan).toMatchObject({ number: 18, closedOn: CLOSED_ON });
      const kinds = (kind: string) => plan.steps.filter((step: { kind: string }) => step.kind === kind);
      expect(kinds('END_MANDATE')).toHaveLength(Object.values(people).filter((person) => person.m18).length);
      expect(
        kinds('CARRY_OVER_ASSIGNMENT')
          .map((step: { message: string }) => step.message.slice(0, 3))
          .sort(),
      ).toEqual(['王对象', '赵代表', '钱代表', '陈对象'].sort());
      expect(kinds('END_ASSIGNMENT')).toHaveLength(2);
      expect(kinds('CARRY_OVER_MANAGER')).toHaveLength(1);
      expect(kinds('END_MANAGER')).toHaveLength(1);
      expect(kinds('CARRY_OVER_PAIRING')).toHaveLength(2);
      for (const step of plan.steps) expect(step.message).toMatch(/\p{Script=Han}/u);

      const COMPLETE = /* GraphQL */ `mutation ($t: ID!) { completeTermChange(termId: $t) { __typename ... on CompleteTermChangeResult { data { done { key } refused { code message } position } } ... on Rejection { code } } }`;
      const outcome = (await ok(COMPLETE, { t: term18 })).completeTermChange.data;
      expect(outcome.refused).toEqual([]);
      expect(outcome.done).toHaveLength(plan.steps.length);
      expect((await ok(PLAN, { t: term18 })).termChangePlan.data.steps).toEqual([]);
      expect((await ok(COMPLETE, { t: term18 })).completeTermChange.data.done).toEqual([]);
    });

    it('leaves every item of the change inherited or flagged: 7 opinions, 3 suggestions, 2 pairings, 1 station', async () => {
      // The new chair takes over 龙台镇's station, through the API, after the change.
      const ASSIGN = /* GraphQL */ `mutation ($input: AssignStationManagerInput!) { assignStationManager(input: $input) { __typename ... on Rejection { code messageZh } } }`;
      const assigned = await ok(ASSIGN, {
        input: {
          commandId: randomUUID(),
          stationId: s2,
          managerPersonId: people.何主席!.personId,
          managerMandateId: people.何主席!.m19,
          assignedOn: '2026-11-22',
        },
      });
      expect(assigned.assignStationManager.__typename).not.toBe('Rejection');
      const DOSSIER = /* GraphQL */ `query ($t: ID!) { handoverDossier(termId: $t) {
          openItems(first: 100) { totalCount edges { node { key kind flagged reason predecessor { name } inheritor { personId rule } } } }
          seats(first: 100) { edges { node { seat { person { name } endReason validTo } returnedAs { termNumber } successor { name } flagged } } }
        } }`;
      const dossier = (await ok(DOSSIER, { t: term18 })).handoverDossier;
      const items = dossier.openItems.edges.map((edge: { node: any }) => edge.node);
      const count = (kind: string) => items.filter((item: { kind: string }) => item.kind === kind).length;
      expect(dossier.openItems.totalCount).toBe(13);
      expect([count('OPINION'), count('SUGGESTION'), count('PAIRING'), count('STATION_DUTIES')]).toEqual([7, 3, 2, 1]);
      for (const item of items) expect(item.flagged !== (item.inheritor !== null), item.key).toBe(true);
      const inheritor = (kind: string, predecessor: string) =>
        items.filter((item: any) => item.kind === kind && item.predecessor?.name === predecessor).map((item: any) => item.inheritor?.personId ?? item.reason);
      expect(inheritor('OPINION', '赵代表')).toEqual(Array(3).fill(people.赵代表!.personId));
      expect(inheritor('OPINION', '孙代表')).toEqual(Array(2).fill(people.石主席!.personId));
      expect(inheritor('OPINION', '周代表')).toEqual(Array(2).fill(people.何主席!.personId));
      expect(inheritor('SUGGESTION', '孙代表')).toEqual(['LEAD_NOT_RETURNED']);
      expect(inheritor('PAIRING', '吴帮带')).toEqual(['MENTOR_NOT_RETURNED']);
      expect(inheritor('PAIRING', '郑帮带')).toEqual(['MENTOR_NOT_RETURNED']);
      expect(inheritor('STATION_DUTIES', '李主席')).toEqual([people.何主席!.personId]);

      const seats = dossier.seats.edges.map((edge: { node: any }) => edge.node);
      expect(seats).toHaveLength(11);
      for (const seat of seats) expect(seat.seat).toMatchObject({ endReason: 'term-close', validTo: CLOSED_ON });
      const seat = (name: string) => seats.find((candidate: any) => candidate.seat.person.name === name);
      expect(seat('赵代表')).toMatchObject({ returnedAs: { termNumber: 19 }, flagged: false });
      expect(seat('李主席')).toMatchObject({ returnedAs: null, successor: { name: '何主席' }, flagged: false });
      expect(seat('吴帮带')).toMatchObject({ returnedAs: null, successor: null, flagged: true });
    });

    it('keeps no roster entry, manager or pairing under an ended mandate; the re-elected stay on with their new mandates', async () => {
      const BOOKS = /* GraphQL */ `query ($s: ID!) { stationBooks(stationId: $s) {
          roster { name mandateId fromOn toOn endReason }
          station { managers { name mandateId fromOn toOn } }
        } }`;
      const books = (await ok(BOOKS, { s: s1 })).stationBooks;
      const open = books.roster.filter((entry: { toOn: string | null }) => entry.toOn === null);
      expect(open.map((entry: { name: string }) => entry.name).sort()).toEqual(['王对象', '赵代表', '钱代表', '陈对象'].sort());
      for (const entry of open) expect(entry).toMatchObject({ mandateId: people[entry.name]!.m19, fromOn: NEW_TERM });
      expect(books.roster.find((entry: { name: string; toOn: string | null }) => entry.name === '孙代表')).toMatchObject({
        toOn: CLOSED_ON,
        endReason: '届满未连任',
      });
      expect(books.station.managers.at(-1)).toMatchObject({ name: '石主席', mandateId: people.石主席!.m19, toOn: null });
      const other = (await ok(BOOKS, { s: s2 })).stationBooks;
      expect(other.roster.filter((entry: { toOn: string | null }) => entry.toOn === null)).toEqual([]);
      expect(other.station.managers.map((manager: { name: string; toOn: string | null }) => [manager.name, manager.toOn])).toEqual([
        ['李主席', CLOSED_ON],
        ['何主席', null],
      ]);
    });

    it('accepts the re-elected deputies’ acts in the new term: opinions, station visits, receptions, home visits, suggestions, pairing activities', async () => {
      const mutate = async (name: string, input: Record<string, unknown>) => {
        const field = name[0]!.toLowerCase() + name.slice(1);
        const answer = await ok(`mutation ($input: ${name}Input!) { ${field}(input: $input) { __typename ... on Rejection { code messageZh } } }`, {
          input: { commandId: randomUUID(), ...input },
        });
        expect(answer[field], `${name}: ${JSON.stringify(answer[field])}`).toMatchObject({ __typename: 'CommandResult' });
      };
      const zhao = h19('赵代表');
      await mutate('RegisterOpinion', {
        opinionId: randomUUID(),
        stationId: s1,
        receivedByPersonId: zhao.personId,
        voter: { name: '选民乙', phone: '13900000000', address: '石羊镇二村' },
        content: '希望增设公交站',
        category: '交通',
        registeredOn: '2026-11-25',
        deadline: '2026-12-25',
      });
      await mutate('RecordStationVisit', { recordId: randomUUID(), stationId: s1, ...zhao, date: '2026-11-25', summary: '进站接待选民' });
      await mutate('RecordVoterReception', {
        stationId: s1,
        receptionId: randomUUID(),
        date: '2026-11-26',
        votersReceived: 4,
        deputies: [{ recordId: randomUUID(), ...h19('钱代表') }],
      });
      await mutate('RecordHomeVisit', {
        recordId: randomUUID(),
        ...zhao,
        date: '2026-11-27',
        place: '石羊镇一村',
        visited: '村民代表',
        summary: '回选区听取意见',
      });
      await mutate('DraftSuggestion', {
        suggestionId: randomUUID(),
        kind: 'SUGGESTION',
        title: '关于增设公交站的建议',
        content: '建议在石羊镇二村增设公交站。',
        leadPersonId: zhao.personId,
        leadMandateId: zhao.mandateId,
        draftedOn: '2026-11-28',
      });
      // 王对象 stays in the pairing whose mentor left, with the new mandate; the old mentor can no longer record in it.
      const activity = { pairingId: p1, date: '2026-11-29', description: '学习撰写建议', menteePersonIds: [people.王对象!.personId] };
      await mutate('RecordPairingActivity', { ...activity, ...h19('王对象') });
      const refused = await ok(
        `mutation ($input: RecordPairingActivityInput!) { recordPairingActivity(input: $input) { __typename ... on Rejection { code } } }`,
        {
          input: { commandId: randomUUID(), ...activity, ...h18('吴帮带') },
        },
      );
      expect(refused.recordPairingActivity).toEqual({ __typename: 'Rejection', code: 'mandate-not-valid' });
    });

    it('scores the re-elected deputy’s year of the change in two parts, each with its acts, and the year as one on the public page', async () => {
      await run(
        'EnactRegulation',
        {
          regulationId: randomUUID(),
          title: '《代表履职监督量化评价暂行办法》',
          category: 'scoring',
          effectiveFrom: '2017-01-01',
          summary: '积分制',
          scoringRules: SCORING_RULES_2021,
        },
        'admin',
      );
      await runtime.projector.catchUp();
      const zhao = people.赵代表!;
      const SCORE = /* GraphQL */ `query ($p: ID!, $y: Int!) { scorecard(personId: $p, year: $y) {
          mandates { mandateId band years { bandWithheld } }
          splitYears { year kind total band provisional bandWithheld held { from to days share }
            explanation { kind points mandateId label }
            parts { mandateId termNumber label score { total band bandWithheld held { from to days }
              explanation { kind points records { recordId date } }
              duties { id periods { period met pending penalty recordIds } } } } }
        } }`;
      const card = (await ok(SCORE, { p: zhao.personId, y: 2026 })).scorecard;
      expect(card.splitYears).toHaveLength(1);
      const [split] = card.splitYears;
      expect(split).toMatchObject({ year: 2026, kind: 'DEPUTY', provisional: true, band: null, bandWithheld: 'IN_PROGRESS' });
      expect(split.parts.map((part: any) => [part.mandateId, part.termNumber, part.label])).toEqual([
        [zhao.m18, 18, '第十八届部分（1月1日–11月19日）'],
        [zhao.m19, 19, '第十九届部分（11月20日–12月31日）'],
      ]);
      const [before, after] = split.parts.map((part: any) => part.score);
      expect(before.held).toEqual({ from: '2026-01-01', to: CLOSED_ON, days: 323 });
      expect(after.held).toEqual({ from: NEW_TERM, to: '2026-12-31', days: 42 });
      // The suggestion submitted in March counts before the change; the station and home visits of late November after it.
      const dates = (score: any) =>
        score.explanation.filter((line: any) => line.kind === 'POINTS').flatMap((line: any) => line.records.map((record: any) => record.date));
      expect(dates(before)).toEqual(['2026-03-05']);
      expect(dates(after).sort()).toEqual(['2026-11-25', '2026-11-27']);
      const period = (score: any, duty: string, key: string) =>
        score.duties.find((candidate: any) => candidate.id === duty).periods.find((row: any) => row.period === key);
      // November is shared: its days before the change had no visit (missed, pro-rated to 19 of 30 days), its days after did.
      expect(period(before, 'monthly-station-visit', '2026-11')).toMatchObject({ met: false, pending: false, penalty: 0.63 });
      expect(period(after, 'monthly-station-visit', '2026-11')).toMatchObject({ met: true, recordIds: [expect.any(String)] });
      expect(period(after, 'monthly-station-visit', '2026-12')).toMatchObject({ met: false, pending: true, penalty: 0 });
      expect(period(after, 'quarterly-home-visit', '2026-Q4')).toMatchObject({ met: true });
      // The year's lines: its base and each part's sum; each part's lines add up to the part's score.
      const sum = (lines: { points: number }[]) => Math.round(lines.reduce((total, line) => total + line.points * 100, 0));
      expect(split.explanation.map((line: any) => [line.kind, line.mandateId])).toEqual([
        ['BASE', null],
        ['PART', zhao.m18],
        ['PART', zhao.m19],
      ]);
      expect(split.explanation[2].label).toMatch(/^第十九届部分（11月20日–12月31日）：任职42天/);
      expect(sum(split.explanation)).toBe(Math.round(split.total * 100));
      for (const part of [before, after]) expect(sum(part.explanation)).toBe(Math.round(part.total * 100));
      expect(card.mandates.map((mandate: any) => [mandate.mandateId, mandate.band, mandate.years[0].bandWithheld])).toEqual([
        [zhao.m18, null, 'IN_PROGRESS'],
        [zhao.m19, null, 'IN_PROGRESS'],
      ]);
      // 孙代表, not re-elected, has his own seat's year only.
      expect((await ok(SCORE, { p: people.孙代表!.personId, y: 2026 })).scorecard.splitYears).toEqual([]);

      // The public sees the year once, under the new term.
      const PUBLIC = /* GraphQL */ `query ($p: ID!) { publicDeputy(id: $p) { performance(year: 2026) { termNumber band provisional } } }`;
      const answer = await gql(PUBLIC, { p: zhao.personId });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.publicDeputy.performance).toEqual([{ termNumber: 19, band: null, provisional: true }]);
    });

    it('refuses a term that has not closed', async () => {
      const answer = await ok(`query ($t: ID!) { termChangePlan(termId: $t) { __typename ... on Rejection { code } } }`, { t: term19 });
      expect(answer.termChangePlan).toEqual({ __typename: 'Rejection', code: 'term-not-closed' });
    });
  });
}
