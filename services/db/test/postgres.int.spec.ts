/** Settings every connection of `postgresDb` carries. */
import { describe, expect, it } from 'vitest';
import { postgresDb } from '../src/index.ts';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('postgresDb on PostgreSQL', () => {
  it('turns JIT compilation off on every connection, in and out of transactions', async () => {
    const db = postgresDb({ connectionString: url!, max: 3 });
    try {
      const shown = await Promise.all(Array.from({ length: 3 }, () => db.query<{ jit: string }>('SHOW jit')));
      expect(shown.map((result) => result.rows[0]!.jit)).toEqual(['off', 'off', 'off']);
      expect(await db.transaction(async (tx) => (await tx.query<{ jit: string }>('SHOW jit')).rows[0]!.jit)).toBe('off');
    } finally {
      await db.close();
    }
  });

  it('parses a named statement once per connection and binds it to one generic plan after that; an unnamed one is not kept', async () => {
    const db = postgresDb({ connectionString: url!, max: 1 });
    try {
      const answers = await db.transaction(async (tx) => {
        const values: number[] = [];
        for (const n of [1, 2, 3, 4, 5, 6, 7])
          values.push((await tx.query<{ n: number }>('SELECT $1::int + 1 AS n', [n], { prepared: 'yingpan_test_plus_one' })).rows[0]!.n);
        await tx.query('SELECT $1::int AS unnamed', [1]);
        const { rows } = await tx.query<{ name: string; generic_plans: number; custom_plans: number }>(
          'SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements ORDER BY name',
        );
        return { values, rows };
      });
      expect(answers.values).toEqual([2, 3, 4, 5, 6, 7, 8]);
      expect(answers.rows).toEqual([{ name: 'yingpan_test_plus_one', generic_plans: 7, custom_plans: 0 }]);
    } finally {
      await db.close();
    }
  });
});

if (!url) console.error('[yingpan tests] SKIPPED on postgres: DATABASE_URL is not set, so postgresDb’s connection settings are not checked');
