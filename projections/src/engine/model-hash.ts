/** A fingerprint of a read model's whole content: equal models give equal hashes, whatever the row order. */
import type { Queryable } from '@yingpan/db';
import { schemaOf, type Projection } from './projection.ts';

export async function modelHash(db: Queryable, projection: Pick<Projection, 'name'>): Promise<string> {
  const schema = schemaOf(projection);
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const { rows } = await db.query<{ digest: string }>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${schema}."${table}" AS t`,
    );
    parts.push(`${table}:${rows[0]!.digest}`);
  }
  return parts.join(',');
}
