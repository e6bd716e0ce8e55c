/**
 * The generated command mutations, in process through yoga.fetch on the small demo county: for
 * every area a command that records (its events in the log when the answer comes, the read model
 * updated once the projections reach its position) and business rejections with their code and Chinese message (nothing
 * written); retries; the roles staff may not act in; the schema holding one mutation per command.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { commandDefinitions, type Role } from '@yingpan/domain';
import { listPeople, NOW, stationBooks, stationList } from '@yingpan/projections';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { generatedCommands, HAND_WRITTEN, mutationName } from '../src/schema/commands.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';
import { sample } from './sample-input.ts';

interface CommandEvent {
  id: string;
  position: number;
  type: string;
  streamId: string;
  streamVersion: number;
}
interface Recorded {
  duplicate: boolean;
  position: number;
  events: CommandEvent[];
}
interface Rejection {
  __typename: 'Rejection';
  code: string;
  field: string | null;
  messageZh: string;
  messageEn: string;
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`generated command mutations on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;

    /** The role these tests act in. */
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );

    /** Runs one generated mutation; the answer is the CommandResult or the Rejection. */
    const run = async (command: string, input: Record<string, unknown>): Promise<{ __typename: string } & Partial<Recorded> & Partial<Rejection>> => {
      const field = mutationName(command);
      const result = await gql(
        /* GraphQL */ `
        mutation Run($input: ${command}Input!) {
          ${field}(input: $input) {
            __typename
            ... on CommandResult { duplicate position events { id position type streamId streamVersion } }
            ... on Rejection { code field messageZh messageEn }
          }
        }`,
        { input },
      );
      if (result.errors) throw new Error(`${command}: ${JSON.stringify(result.errors)}`);
      return result.data[field];
    };

    /** Runs a command that must succeed (with a fresh command id unless one is given). */
    const recorded = async (command: string, input: Record<string, unknown>): Promise<Recorded> => {
      const answer = await run(command, { commandId: randomUUID(), ...input });
      expect(answer.__typename, JSON.stringify(answer)).toBe('CommandResult');
      const { __typename, ...result } = answer as { __typename: string } & Recorded;
      expect(result.duplicate).toBe(false);
      expect(result.position).toBe((await runtime.store.head()).position);
      // The answer says the events are durable; the read models the tests read directly follow.
      await runtime.waitForProjections(result.position, 10_000);
      return result;
    };

    /** Runs a command that must be refused, and checks nothing was written. */
    const refused = async (command: string, input: Record<string, unknown>, expected: Partial<Rejection>): Promise<Rejection> => {
      const head = await runtime.store.head();
      const answer = await run(command, { commandId: randomUUID(), ...input });
      expect(answer, command).toMatchObject({ __typename: 'Rejection', ...expected });
      expect(await runtime.store.head()).toEqual(head);
      return answer as Rejection;
    };

    /** The stored events of an answer, with their data, from yingpan.events. */
    const logged = async (result: Recorded) => {
      const { rows } = await testDb.db.query<{ position: string; type: string; stream_id: string; data: any }>(
        'SELECT position, type, stream_id, data FROM yingpan.events WHERE position = ANY($1::bigint[]) ORDER BY position',
        [result.events.map((event) => event.position)],
      );
      expect(rows.map((row) => [Number(row.position), row.type, row.stream_id])).toEqual(
        result.events.map((event) => [event.position, event.type, event.streamId]),
      );
      return rows;
    };

    const sql = async <R>(text: string, params: unknown[] = []) => (await testDb.db.query<R>(text, params)).rows;

    /** The open term, and deputies of it assigned to a station (not since unassigned). */
    let termId: string;
    let deputies: { stationId: string; personId: string; mandateId: string; township: string | null }[];
    let committee: { personId: string; mandateId: string };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'staff');

      [{ termId }] = (await sql<{ termId: string }>(
        `SELECT data->>'termId' AS "termId" FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1`,
      )) as [{ termId: string }];
      deputies = await sql(
        `SELECT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId", m.data->>'township' AS township
           FROM yingpan.events a
           JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
          WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'termId' = $1 AND m.data->>'kind' = 'deputy'
            AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                               AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events v WHERE v.type = 'StationVisitRecorded' AND v.data->>'personId' = a.data->>'personId'
                               AND v.data->>'date' = '2026-10-29')
          ORDER BY a.position`,
        [termId],
      );
      expect(deputies.length).toBeGreaterThan(4);
      [committee] = (await sql<{ personId: string; mandateId: string }>(
        `SELECT data->>'personId' AS "personId", data->>'mandateId' AS "mandateId" FROM yingpan.events
          WHERE type = 'MandateStarted' AND data->>'kind' = 'committee-member' AND data->>'termId' = $1 ORDER BY position LIMIT 1`,
        [termId],
      )) as [{ personId: string; mandateId: string }];
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    /** An instant on a day, in the county's time zone: acts dated that day are not in the future. */
    const on = (date: string) => `${date}T18:00:00+08:00`;

    it('has one mutation per command (RecordTrainingAttendance stays hand-written), each answering CommandResult or Rejection', async () => {
      const { data } = await gql(/* GraphQL */ `{
        __schema { mutationType { fields { name args { name type { kind ofType { name } } } type { ofType { name possibleTypes { name } } } } } }
      }`);
      const fields = new Map<string, any>(data.__schema.mutationType.fields.map((field: any) => [field.name, field]));
      for (const definition of commandDefinitions) {
        const field = fields.get(mutationName(definition.name));
        expect(field, definition.name).toBeDefined();
        if (HAND_WRITTEN.has(definition.name)) continue;
        expect(field.args).toEqual([{ name: 'input', type: { kind: 'NON_NULL', ofType: { name: `${definition.name}Input` } } }]);
        expect(field.type.ofType.name).toBe(`${definition.name}Payload`);
        expect(field.type.ofType.possibleTypes.map((type: any) => type.name).sort()).toEqual(['CommandResult', 'Rejection']);
      }
      expect(generatedCommands.size).toBe(commandDefinitions.length - HAND_WRITTEN.size);
    });

    it('registers a person and starts a mandate; a retry writes nothing; business rules refuse with codes and Chinese messages', async () => {
      const personId = randomUUID();
      const input = { commandId: randomUUID(), personId, name: '测试代表', gender: 'FEMALE' };
      const first = await recorded('RegisterPerson', input);
      expect(first.events).toEqual([
        { id: expect.any(String), position: first.position, type: 'PersonRegistered', streamId: `person:${personId}`, streamVersion: 1 },
      ]);
      const [event] = await logged(first);
      expect(event!.data).toEqual({ personId, name: '测试代表', gender: 'female', publicServant: false });
      expect((await listPeople(testDb.db)).find((person) => person.personId === personId)).toMatchObject({ name: '测试代表', publicServant: false });

      const head = await runtime.store.head();
      const retry = await run('RegisterPerson', input);
      expect(retry).toEqual({ __typename: 'CommandResult', ...first, duplicate: true });
      expect(await runtime.store.head()).toEqual(head);

      await refused('RegisterPerson', { personId, name: '另一人' }, { code: 'person-exists', field: 'personId', messageZh: '该人员已登记' });
      await refused('RegisterPerson', { personId: randomUUID(), name: '   ' }, { code: 'invalid-input', field: 'name' });

      const mandateId = randomUUID();
      const mandate = { mandateId, personId, termId, kind: 'DEPUTY', level: 'COUNTY', district: '测试选区', publicServant: false, startsOn: '2026-10-01' };
      const started = await recorded('StartMandate', mandate);
      const [startedEvent] = await logged(started);
      expect(startedEvent).toMatchObject({ type: 'MandateStarted', stream_id: `mandate:${mandateId}` });
      expect(startedEvent!.data).toMatchObject({
        kind: 'deputy',
        level: 'county',
        district: '测试选区',
        township: null,
        byElection: false,
        startsOn: '2026-10-01',
      });

      await refused(
        'StartMandate',
        { ...mandate, mandateId: randomUUID(), termId: randomUUID() },
        { code: 'term-not-open', field: 'termId', messageZh: '该届次未开始或已结束' },
      );
      await refused(
        'StartMandate',
        { ...mandate, mandateId: randomUUID(), level: null },
        { code: 'level-mismatch', field: 'level', messageZh: '只有人大代表有代表层级，且必须填写' },
      );
      await refused('StartMandate', { ...mandate, startsOn: '2026-02-30' }, { code: 'invalid-input', field: 'startsOn' });
    });

    it('refuses, as forbidden, every command the local operator (staff) may not issue, e.g. OpenTerm', async () => {
      const rejection = await refused(
        'OpenTerm',
        { termId: randomUUID(), number: 19, startsOn: '2026-11-20', plannedEndOn: '2031-11-19' },
        { code: 'forbidden', field: null },
      );
      // In words, naming the role and never the internal command.
      expect(rejection.messageZh).toBe('当前身份（机关工作人员）无权进行此项操作');
      const forbidden = commandDefinitions.filter((definition) => !definition.roles.includes('staff' as Role));
      expect(forbidden.map((definition) => definition.name)).toEqual(
        expect.arrayContaining(['OpenTerm', 'CloseTerm', 'EnactRegulation', 'AmendRegulation', 'RepealRegulation']),
      );
      for (const definition of forbidden) {
        await refused(definition.name, sample(generatedCommands.get(definition.name)!), { code: 'forbidden' });
      }
    });

    it('organises an activity and records a participation in it; the same person twice is refused', async () => {
      const [deputy] = deputies;
      const activityId = randomUUID();
      const organised = await recorded('OrganiseActivity', {
        activityId,
        kind: 'RESEARCH',
        forms: ['RESEARCH', 'REPORT_DELIBERATION'],
        title: '关于农村饮水安全的调研',
        date: '2026-10-27',
        organiser: '县人大常委会',
      });
      const [activity] = await logged(organised);
      expect(activity!.data).toMatchObject({ activityId, kind: 'research', forms: ['research', 'report-deliberation'], township: null });

      const participation = { activityId, personId: deputy!.personId, mandateId: deputy!.mandateId };
      const took = await recorded('RecordParticipation', { ...participation, occurredAt: on('2026-10-27') });
      const [event] = await logged(took);
      expect(event).toMatchObject({ type: 'ParticipationRecorded', stream_id: `activity:${activityId}` });
      expect(event!.data).toMatchObject({ ...participation, act: 'research', declared: false, recordId: expect.any(String) });

      await refused('RecordParticipation', participation, { code: 'already-recorded', field: 'personId', messageZh: '该人员已登记参加或缺席此次活动' });
      await refused(
        'RecordParticipation',
        { ...participation, activityId: randomUUID() },
        { code: 'activity-not-found', field: 'activityId', messageZh: '找不到该活动' },
      );
      await refused(
        'OrganiseActivity',
        { activityId: randomUUID(), kind: 'RESEARCH', forms: ['INSPECTION'], title: '调研', date: '2026-10-27', organiser: '县人大常委会' },
        { code: 'forms-without-kind', field: 'forms', messageZh: '活动形式须包含活动本身的类别' },
      );
    });

    it('records a station visit, counted by the station at once; a second on the same day is refused', async () => {
      const [deputy] = deputies;
      const count = async () => (await stationList(testDb.db, { asOf: NOW })).find((station) => station.stationId === deputy!.stationId)!.counts.stationVisits;
      const before = await count();
      const visit = { stationId: deputy!.stationId, personId: deputy!.personId, mandateId: deputy!.mandateId, date: '2026-10-29', summary: '接待群众来访' };
      const answer = await run('RecordStationVisit', { ...visit, commandId: randomUUID(), recordId: randomUUID(), occurredAt: on('2026-10-29') });
      // The answer names the log position of its events; a reader that asks for that position sees the visit counted.
      await runtime.waitForModels('all', answer.position!);
      expect(await count()).toBe(before + 1);
      expect(answer.__typename).toBe('CommandResult');
      const [event] = await logged(answer as Recorded);
      expect(event).toMatchObject({ type: 'StationVisitRecorded', stream_id: `station:${deputy!.stationId}` });
      expect(event!.data).toMatchObject({ ...visit, act: 'station-visit', declared: false });

      await refused(
        'RecordStationVisit',
        { ...visit, recordId: randomUUID() },
        { code: 'already-visited', field: 'date', messageZh: '该代表 2026-10-29 的进站履职已登记' },
      );
      const elsewhere = deputies.find(
        (other) => other.stationId !== deputy!.stationId && !deputies.some((same) => same.personId === other.personId && same.stationId === deputy!.stationId),
      )!;
      await refused(
        'RecordStationVisit',
        { ...visit, recordId: randomUUID(), personId: elsewhere.personId, mandateId: elsewhere.mandateId },
        { code: 'not-assigned', field: 'personId', messageZh: '该代表在 2026-10-29 未进驻此家站' },
      );
      await refused(
        'RecordStationVisit',
        { ...visit, recordId: randomUUID(), mandateId: elsewhere.mandateId },
        { code: 'mandate-of-other-person', field: 'mandateId', messageZh: '该任职不属于此人' },
      );
    });

    it('takes an opinion from registration through referral and answer to closing, the station book following', async () => {
      const [deputy] = deputies;
      const opinionId = randomUUID();
      const registered = await recorded('RegisterOpinion', {
        opinionId,
        stationId: deputy!.stationId,
        receivedByPersonId: deputy!.personId,
        voter: { name: '张三', address: '3组8号' },
        content: '村口道路破损，雨天积水',
        category: '交通出行',
        registeredOn: '2026-10-20',
        deadline: '2026-11-20',
      });
      const [opinion] = await logged(registered);
      expect(opinion!.data).toMatchObject({
        voter: { name: '张三', phone: null, address: '3组8号' },
        receptionId: null,
        receivedByMandateId: deputy!.mandateId,
      });

      await recorded('ReferOpinion', { opinionId, agency: '县交通运输局', referredOn: '2026-10-21', deadline: '2026-11-15' });
      await refused(
        'CloseOpinion',
        { opinionId, closedOn: '2026-10-22', satisfaction: 'SATISFIED' },
        { code: 'not-answered', field: 'opinionId', messageZh: '意见答复后才能办结' },
      );
      await refused(
        'AnswerOpinion',
        { opinionId, answeredOn: '2026-10-19', answer: '已修复' },
        { code: 'date-too-early', field: 'answeredOn', messageZh: '日期不能早于上一办理环节（2026-10-21）' },
      );
      await recorded('AnswerOpinion', { opinionId, answeredOn: '2026-10-25', answer: '已安排维修，预计十一月完工' });
      const closed = await recorded('CloseOpinion', { opinionId, closedOn: '2026-10-26', satisfaction: 'BASICALLY_SATISFIED' });
      const [closing] = await logged(closed);
      expect(closing).toMatchObject({ type: 'OpinionClosed', stream_id: `opinion:${opinionId}` });
      expect(closing!.data).toMatchObject({ satisfaction: 'basically-satisfied', note: null });

      const books = await stationBooks(testDb.db, { stationId: deputy!.stationId, asOf: NOW });
      expect(books!.opinions.find((entry) => entry.opinionId === opinionId)).toMatchObject({
        status: 'closed',
        satisfaction: 'basically-satisfied',
        agency: '县交通运输局',
      });

      await refused(
        'ReferOpinion',
        { opinionId, agency: '县水利局', referredOn: '2026-10-27', deadline: '2026-11-27' },
        { code: 'opinion-closed', field: 'opinionId', messageZh: '该意见已办结' },
      );
    });

    it('drafts and submits a suggestion with a co-signer; submitting twice or leading in a non-deputy mandate is refused', async () => {
      const [lead, , coSigner] = deputies;
      const suggestionId = randomUUID();
      const draft = {
        suggestionId,
        kind: 'SUGGESTION',
        title: '关于加强农村饮水安全的建议',
        content: '建议加快农村供水管网改造。',
        leadPersonId: lead!.personId,
        leadMandateId: lead!.mandateId,
        draftedOn: '2026-10-10',
      };
      const drafted = await recorded('DraftSuggestion', draft);
      expect((await logged(drafted))[0]!.data).toMatchObject({ kind: 'suggestion', leadMandateId: lead!.mandateId });
      const submission = {
        suggestionId,
        recordId: randomUUID(),
        submittedOn: '2026-10-12',
        coSigners: [{ personId: coSigner!.personId, mandateId: coSigner!.mandateId }],
      };
      const submitted = await recorded('SubmitSuggestion', { ...submission, occurredAt: on('2026-10-12') });
      const [event] = await logged(submitted);
      expect(event).toMatchObject({ type: 'SuggestionSubmitted', stream_id: `suggestion:${suggestionId}` });
      expect(event!.data).toMatchObject({ recordId: submission.recordId, coSigners: submission.coSigners });

      await refused(
        'SubmitSuggestion',
        { ...submission, recordId: randomUUID() },
        { code: 'already-submitted', field: 'suggestionId', messageZh: '该建议已经提交' },
      );
      await refused(
        'DraftSuggestion',
        { ...draft, suggestionId: randomUUID(), leadPersonId: committee.personId, leadMandateId: committee.mandateId },
        { code: 'mandate-kind', field: 'leadMandateId', messageZh: '该任职的类别不能办理此事项' },
      );
    });

    it('records a duty report and practical help; a second report for a year, a future date and no beneficiaries are refused', async () => {
      const [deputy] = deputies;
      const report = {
        personId: deputy!.personId,
        mandateId: deputy!.mandateId,
        year: 2026,
        date: '2026-10-28',
        audienceSize: 35,
        summary: '2026年度履职情况报告',
      };
      const delivered = await recorded('DeliverDutyReport', { ...report, recordId: randomUUID(), stationId: deputy!.stationId, occurredAt: on('2026-10-28') });
      const [event] = await logged(delivered);
      expect(event!.data).toMatchObject({ ...report, act: 'duty-report', venue: null, stationId: deputy!.stationId, declared: false });

      const [reported] = await sql<{ personId: string; mandateId: string; date: string }>(
        `SELECT data->>'personId' AS "personId", data->>'mandateId' AS "mandateId", data->>'date' AS date FROM yingpan.events
          WHERE type = 'DutyReportDelivered' AND data->>'year' = '2025' ORDER BY position LIMIT 1`,
      );
      await refused(
        'DeliverDutyReport',
        { ...report, ...reported, year: 2025, recordId: randomUUID(), occurredAt: on('2026-01-10') },
        { code: 'report-exists', field: 'year', messageZh: '该代表 2025 年度已经述职' },
      );

      const help = {
        personId: deputy!.personId,
        mandateId: deputy!.mandateId,
        act: 'DISPUTE_MEDIATION',
        date: '2026-10-24',
        summary: '调解邻里宅基地纠纷',
        beneficiaries: 2,
      };
      const helped = await recorded('RecordPracticalHelp', { ...help, recordId: randomUUID(), occurredAt: on('2026-10-24') });
      expect((await logged(helped))[0]!.data).toMatchObject({ act: 'dispute-mediation', township: deputy!.township, beneficiaries: 2 });
      await refused('RecordPracticalHelp', { ...help, recordId: randomUUID(), beneficiaries: 0 }, { code: 'invalid-input', field: 'beneficiaries' });
      await refused(
        'RecordPracticalHelp',
        { ...help, recordId: randomUUID(), date: '2026-10-25', occurredAt: on('2026-10-24') },
        { code: 'future-date', field: 'date', messageZh: '日期 2026-10-25 晚于今天（2026-10-24），不能登记尚未发生的事项' },
      );
    });

    it('corrects and retracts seeded records; approving an approved record, retracting twice and a bad correction are refused', async () => {
      const records = await sql<{ streamId: string; data: Record<string, unknown> & { recordId: string; stationId: string } }>(
        `SELECT e.stream_id AS "streamId", e.data FROM yingpan.events e
          WHERE e.type = 'StationVisitRecorded' AND e.data->>'declared' = 'false'
            AND NOT EXISTS (SELECT 1 FROM yingpan.events r WHERE r.stream_id = e.stream_id AND r.data->>'recordId' = e.data->>'recordId'
                               AND r.type IN ('RecordCorrected', 'RecordRetracted', 'RecordRejected'))
          ORDER BY e.position DESC LIMIT 2`,
      );
      const [toCorrect, toRetract] = records;
      const corrected = { ...toCorrect!.data, summary: '更正：参加联络站集中学习' };
      const correction = await recorded('CorrectRecord', {
        streamId: toCorrect!.streamId,
        recordId: toCorrect!.data.recordId,
        reason: '纸质台账摘要录入有误',
        corrected,
      });
      const [event] = await logged(correction);
      expect(event).toMatchObject({ type: 'RecordCorrected', stream_id: toCorrect!.streamId });
      expect(event!.data).toEqual({ recordId: toCorrect!.data.recordId, reason: '纸质台账摘要录入有误', corrected });
      await refused(
        'CorrectRecord',
        { streamId: toCorrect!.streamId, recordId: toCorrect!.data.recordId, reason: '再次更正', corrected: { summary: '只有摘要' } },
        { code: 'invalid-correction', field: 'corrected' },
      );
      await refused(
        'CorrectRecord',
        { streamId: toCorrect!.streamId, recordId: toCorrect!.data.recordId, reason: '再次更正', corrected: { ...corrected, recordId: randomUUID() } },
        { code: 'correction-changes-identity', field: 'corrected', messageZh: '更正不能改变记录编号或申报方式' },
      );
      await refused(
        'ApproveRecord',
        { streamId: toCorrect!.streamId, recordId: toCorrect!.data.recordId },
        { code: 'not-pending', field: 'recordId', messageZh: '该记录不在待审核状态' },
      );

      const count = async () =>
        (await stationList(testDb.db, { asOf: NOW })).find((station) => station.stationId === toRetract!.data.stationId)!.counts.stationVisits;
      const before = await count();
      const retracted = await recorded('RetractRecord', { streamId: toRetract!.streamId, recordId: toRetract!.data.recordId, reason: '重复录入' });
      expect((await logged(retracted))[0]).toMatchObject({ type: 'RecordRetracted', data: { recordId: toRetract!.data.recordId, reason: '重复录入' } });
      expect(await count()).toBe(before - 1);
      await refused(
        'RetractRecord',
        { streamId: toRetract!.streamId, recordId: toRetract!.data.recordId, reason: '重复录入' },
        { code: 'already-retracted', field: 'recordId', messageZh: '该记录已撤销' },
      );
      await refused(
        'RetractRecord',
        { streamId: 'station:not-a-stream', recordId: toRetract!.data.recordId, reason: '重复录入' },
        { code: 'invalid-input', field: 'streamId' },
      );
    });

    it('forms a liaison pairing; a deputy as liaison mentor and a mentee in someone else’s mandate are refused', async () => {
      const [first, second, third] = deputies;
      const pairing = {
        kind: 'COMMITTEE_LIAISON',
        mentorPersonId: committee.personId,
        mentorMandateId: committee.mandateId,
        mentees: [first, third].map((deputy) => ({ personId: deputy!.personId, mandateId: deputy!.mandateId })),
        startsOn: '2026-10-01',
      };
      const pairingId = randomUUID();
      const formed = await recorded('FormPairing', { ...pairing, pairingId });
      const [event] = await logged(formed);
      expect(event).toMatchObject({ type: 'PairingFormed', stream_id: `pairing:${pairingId}` });
      expect(event!.data).toMatchObject({ kind: 'committee-liaison', termId, mentorMandateId: committee.mandateId, mentees: pairing.mentees });

      await refused(
        'FormPairing',
        { ...pairing, pairingId: randomUUID(), mentorPersonId: second!.personId, mentorMandateId: second!.mandateId },
        { code: 'mentor-not-committee-member', field: 'mentorMandateId', messageZh: '联系代表须由常委会组成人员担任' },
      );
      await refused(
        'FormPairing',
        { ...pairing, pairingId: randomUUID(), mentees: [{ personId: first!.personId, mandateId: second!.mandateId }] },
        { code: 'mandate-of-other-person', field: 'mentees.0.mandateId', messageZh: '该任职不属于此人' },
      );
    });

    it('refuses what the log cannot hold, a command id that is not a UUID and an occurredAt in the future, as typed rejections', async () => {
      const person = { personId: randomUUID(), name: '王五' };
      await refused('RegisterPerson', { ...person, name: '王\u0000五' }, { code: 'invalid-input', field: 'name' });
      await refused('RegisterPerson', { ...person, name: 'bad \ud800 text' }, { code: 'invalid-input', field: 'name' });
      await refused('RegisterPerson', { ...person, commandId: 'retry-1' }, { code: 'invalid-input', field: 'commandId' });
      await refused('RegisterPerson', { ...person, occurredAt: '2999-01-01T00:00:00Z' }, { code: 'invalid-input', field: 'occurredAt' });
      await refused('RegisterPerson', { ...person, occurredAt: 'yesterday' }, { code: 'invalid-input', field: 'occurredAt' });
      let deep: unknown = '底';
      for (let level = 0; level < 40; level++) deep = { deeper: deep };
      await refused(
        'CorrectRecord',
        { streamId: `station:${deputies[0]!.stationId}`, recordId: randomUUID(), reason: '测试', corrected: { nested: deep } },
        { code: 'invalid-input', field: 'corrected' },
      );
      // A GraphQL type error never reaches the bus: it is a validation error, and nothing is written.
      const head = await runtime.store.head();
      const wrongType = await gql(`mutation { registerPerson(input: { commandId: "${randomUUID()}", personId: 12, name: true }) { __typename } }`);
      expect(wrongType.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
      expect(await runtime.store.head()).toEqual(head);
    });
  });
}
