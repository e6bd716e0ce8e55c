/**
 * Writes do not wait for reads: a mutation answers once its events are in the log, with their
 * position (the result's `position`, the answer's `logPosition` extension), while the projector
 * has not applied them; a request naming that position (`X-Consistent-With`) reads the read models
 * once they have, and a request without it reads them as they stand. The same entity contested by
 * eight clients at once is recorded exactly once.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { CONSISTENCY_HEADER, modelsRead, POSITION_EXTENSION, requestedPosition } from '../src/consistency.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { authHeaders, type GraphQLAnswer, tokenFor } from './graphql-client.ts';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterPersonInput!) {
    registerPerson(input: $input) {
      __typename
      ... on CommandResult { position duplicate }
      ... on Rejection { code }
    }
  }`;
const PEOPLE = /* GraphQL */ `{ people { personId name } }`;

describe('the read models a statement reads', () => {
  it('are the rm_ schemas it names, and every model when it reads the checkpoints', () => {
    expect(modelsRead('SELECT * FROM rm_directory.people p JOIN rm_mandates.mandates m USING (person_id) JOIN rm_directory.trainings t ON TRUE')).toEqual([
      'directory',
      'mandates',
    ]);
    expect(modelsRead('SELECT 1 FROM rm_training_stats.counts')).toEqual(['training_stats']);
    expect(modelsRead('SELECT position FROM yingpan.events')).toEqual([]);
    expect(modelsRead('SELECT name, position FROM yingpan.projection_checkpoints')).toBe('all');
  });

  it('are awaited only for a positive position in the header', () => {
    expect(requestedPosition('42')).toBe(42);
    expect(requestedPosition(' 7 ')).toBe(7);
    for (const bad of [null, '', '0', '-3', 'abc', '1e9', '12345678901234567890']) expect(requestedPosition(bad)).toBeNull();
  });
});

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`a write path that does not wait on reads, on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let token: string;

    const post = async (query: string, variables: Record<string, unknown> = {}, position?: number) => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { ...authHeaders(token), ...(position ? { [CONSISTENCY_HEADER]: String(position) } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLAnswer;
    };
    const register = (personId: string, name: string) =>
      post(REGISTER, { input: { commandId: randomUUID(), personId, name, gender: 'FEMALE', publicServant: false } });

    beforeAll(async () => {
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      // The projector is not started yet: nothing the mutations write reaches the read models.
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'staff');
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('answers once the events are stored, and a query naming their position waits for the read models it reads', async () => {
      const personId = randomUUID();
      const answer = await register(personId, '林晓雯');
      expect(answer.errors).toBeUndefined();
      const { position } = answer.data.registerPerson;
      expect(position).toBe((await runtime.store.head()).position);
      expect(answer.extensions?.[POSITION_EXTENSION]).toBe(position);
      const [directory] = (await runtime.projector.status()).filter((status) => status.name === 'directory');
      expect(directory!.position).toBeLessThan(position);

      // Without the position: the read model as it stands, without the new person.
      const stale = await post(PEOPLE);
      expect(stale.errors).toBeUndefined();
      expect(stale.data.people.map((person: { personId: string }) => person.personId)).not.toContain(personId);
      expect(stale.extensions?.[POSITION_EXTENSION]).toBeUndefined();

      // With it: the query waits until the directory has applied the position.
      let answered = false;
      const consistent = post(PEOPLE, {}, position).then((result) => {
        answered = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      runtime.startProjector();
      const fresh = await consistent;
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data.people).toContainEqual({ personId, name: '林晓雯' });
    });

    it('records the same person contested by eight clients exactly once', async () => {
      const personId = randomUUID();
      const before = (await runtime.store.head()).position;
      const answers = await Promise.all(Array.from({ length: 8 }, (_, client) => register(personId, `争用${client}`)));
      const kinds = answers.map((answer) => answer.data?.registerPerson.__typename ?? JSON.stringify(answer.errors));
      expect(kinds.filter((kind) => kind === 'CommandResult')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'Rejection')).toHaveLength(7);
      const { rows } = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yingpan.events WHERE position > $1 AND stream_id = $2`, [
        before,
        `person:${personId}`,
      ]);
      expect(rows[0]!.n).toBe(1);
    });
  });
}
