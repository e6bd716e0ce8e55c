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
});

if (!url) console.error('[yingpan tests] SKIPPED on postgres: DATABASE_URL is not set, so postgresDb’s connection settings are not checked');
