/**
 * Runs once before the scenarios: fails the whole suite at once without DATABASE_URL, and builds
 * the small demo county (seed 7) with every read model caught up into a template database that
 * the scenarios copy (`CREATE DATABASE … TEMPLATE`) instead of seeding and projecting again.
 */
import { randomBytes } from 'node:crypto';
import { postgresDb } from '@yingpan/db';
import { SqlEventStore } from '@yingpan/event-store';
import { Projector, allProjections } from '@yingpan/projections';
import { TEST_TODAY } from '@yingpan/domain/test-clock';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import type { TestProject } from 'vitest/node';
import { databaseUrl, urlOf } from './support.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The template database's name. */
    countyTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const base = databaseUrl();
  const name = `yingpan_t_faults_tpl_${randomBytes(5).toString('hex')}`;
  const admin = postgresDb({ connectionString: base, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const db = postgresDb({ connectionString: urlOf(name), max: 8 });
  try {
    const store = await SqlEventStore.open(db);
    await seedCountyFixture(store, { seed: 7, scale: 'small', today: TEST_TODAY });
    const projector = new Projector(db, store, allProjections, { batchSize: 2000 });
    await projector.prepare();
    await projector.catchUp();
  } finally {
    await db.close();
  }
  project.provide('countyTemplate', name);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  };
}
