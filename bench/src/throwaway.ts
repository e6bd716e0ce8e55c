/**
 * Throw-away databases that are dropped however the benchmark ends: normally (`drop()`), on
 * Ctrl-C or SIGTERM, or when it crashes (say, PostgreSQL restarting under it, which takes a pooled
 * connection down with an unhandled error). A drop is retried for half a minute, so a server that
 * is restarting is waited for.
 */
import { databaseUrl } from './options.ts';

export interface ThrowAway {
  url: string;
  drop(): Promise<void>;
}

const live = new Set<() => Promise<void>>();
let hooked = false;

async function dropAll(): Promise<void> {
  await Promise.all([...live].map((drop) => drop()));
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void dropAll().finally(() => process.exit(130)));
  process.once('uncaughtException', (error) => {
    console.error(error);
    console.error('[bench] crashed; dropping the throw-away databases…');
    void dropAll().finally(() => process.exit(1));
  });
}

/** A fresh empty database; or, with `existing`, one already created on the server (e.g. a template's copy), dropped the same way. */
export async function throwAwayDatabase(options: { existing?: string } = {}): Promise<ThrowAway> {
  hook();
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const database = options.existing ? existingDatabase(options.existing) : await createTestDatabase(databaseUrl());
  console.error(`[bench] database ${new URL(database.url).pathname.slice(1)}`);
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      live.delete(drop);
      for (let attempt = 1; ; attempt++) {
        try {
          return await database.drop();
        } catch (error) {
          if (attempt >= 15) {
            console.error(`[bench] could not drop ${database.url}: ${error instanceof Error ? error.message : String(error)}`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    })());
  live.add(drop);
  return { url: database.url, drop };
}

/** A database on the server by name, with a drop like createTestDatabase's. */
function existingDatabase(name: string): { url: string; drop(): Promise<void> } {
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const { postgresDb } = await import('@yingpan/db');
      const db = postgresDb({ connectionString: databaseUrl(), max: 1 });
      try {
        await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await db.close();
      }
    },
  };
}
