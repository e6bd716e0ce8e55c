/**
 * The demo county as a test fixture: the same log `seedCounty` writes, built once and then appended
 * from a file. Dozens of test files stand on a small county; building one runs some 8,000 commands
 * through the domain (seconds of CPU each time), while appending its events is a few batches.
 *
 * The file (in the system's temporary folder) is named by everything the log depends on: the seed,
 * the scale, the day the county stands on, and the source of the seed and of the domain. Any change
 * to them builds the county again. The seed's own tests build it through `seedCounty`, every time.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@yingpan/db';
import { digestOfSources } from '@yingpan/db/testing';
import { countyToday } from '@yingpan/domain';
import type { AppendRequest, EventStore, NewEvent, StoredEvent } from '@yingpan/event-store';
import { type CountyOptions, seedCounty } from './county.ts';

/** Where the built logs are kept. */
export const FIXTURE_DIR = path.join(tmpdir(), 'yingpan-seed-fixtures');

/** Events appended per call when a fixture is replayed (as the seed's own write-behind batches). */
const BATCH = 5_000;

const SOURCES = [fileURLToPath(new URL('.', import.meta.url)), fileURLToPath(new URL('../../domain/src', import.meta.url))];

/** An event as it was written (the store adds the recording time, the position and the hashes). */
function written(event: StoredEvent): NewEvent {
  const { recordedBy, occurredAt, correlationId, causationId, commandId, source } = event.metadata;
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { recordedBy, occurredAt, correlationId, causationId, commandId: commandId ?? null, ...(source ? { source } : {}) },
  };
}

type FixtureOptions = Omit<CountyOptions, 'onProgress'>;

/** The file that holds (or will hold) the county these options and the current sources build. */
export function fixtureFile(options: FixtureOptions): string {
  const today = options.today ?? countyToday();
  const key = createHash('sha256')
    .update(JSON.stringify({ format: 2, seed: options.seed, scale: options.scale, today }))
    .update(digestOfSources(SOURCES))
    .digest('hex')
    .slice(0, 32);
  return path.join(FIXTURE_DIR, `${options.scale}-${options.seed}-${today}-${key}.json`);
}

/** Consecutive events of one stream as one request, in log order, as they were written. */
export function requestsOf(events: readonly StoredEvent[]): AppendRequest[] {
  const requests: AppendRequest[] = [];
  for (const event of events) {
    const last = requests.at(-1);
    if (last && last.streamId === event.streamId) last.events.push(written(event));
    // A stream's first request expects no stream yet (on a log that already holds other events too).
    else
      requests.push({ streamId: event.streamId, expectedVersion: event.streamVersion === 1 ? 'no_stream' : event.streamVersion - 1, events: [written(event)] });
  }
  return requests;
}

/**
 * Writes the demo county into `store` as `seedCounty` does (the same events, ids and order), from
 * a file built on the first call with these options and these sources. `onProgress` is not
 * supported: a fixture is for tests. One process at a time builds a given county: the packages'
 * tests start together on a fresh machine, and the others wait for its file instead of building
 * the same county beside it.
 */
export async function seedCountyFixture(store: EventStore, options: FixtureOptions): Promise<void> {
  const today = options.today ?? countyToday();
  const file = fixtureFile(options);
  const release = existsSync(file) ? null : await turnToBuild(file);
  if (!release) return appendFixture(store, file);
  try {
    const before = (await store.head()).position;
    await seedCounty(store, { ...options, today });
    const events: StoredEvent[] = [];
    for (;;) {
      const page = await store.readAll({ after: events.at(-1)?.position ?? before, limit: 10_000 });
      if (page.length === 0) break;
      events.push(...page);
    }
    await keepFixture(options, events);
  } finally {
    await release();
  }
}

/** Appends the county kept in `file`, in batches, and checks that all of it arrived. */
async function appendFixture(store: EventStore, file: string): Promise<void> {
  const requests = JSON.parse(await readFile(file, 'utf8')) as AppendRequest[];
  const before = (await store.head()).position;
  for (let start = 0; start < requests.length; ) {
    let end = start;
    let count = 0;
    while (end < requests.length && (count === 0 || count + requests[end]!.events.length <= BATCH)) count += requests[end++]!.events.length;
    await store.appendMany(requests.slice(start, end));
    start = end;
  }
  const expected = requests.reduce((sum, request) => sum + request.events.length, 0);
  const head = (await store.head()).position;
  if (head - before !== expected) throw new Error(`The county fixture ${file} appended ${head - before} events, expected ${expected}`);
}

/**
 * This process's turn to build the fixture `file`, once no other process is building it: the
 * release of the turn, or null when the file appeared meanwhile (another process built it). The
 * turn is a file beside it holding the builder's process id; a builder that died mid-build (its
 * process gone) loses its turn.
 */
export async function turnToBuild(file: string): Promise<(() => Promise<void>) | null> {
  for (;;) {
    if (existsSync(file)) return null;
    const turn = await tryTurnToBuild(file);
    if (!turn) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    if (!existsSync(file)) return turn;
    await turn(); // its builder finished between the look and the turn
    return null;
  }
}

/**
 * The turn to build `file` if nobody holds it now, else null at once: for a builder that builds
 * the county in any case (the seed's own test) and lets the others wait for its file meanwhile.
 */
export async function tryTurnToBuild(file: string): Promise<(() => Promise<void>) | null> {
  const turn = `${file}.building`;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(turn, String(process.pid), { flag: 'wx' });
    return () => rm(turn, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Empty for a moment while its builder writes its id.
  const builder = Number(await readFile(turn, 'utf8').catch(() => ''));
  if (builder > 0 && !isAlive(builder)) {
    await rm(turn, { force: true });
    return tryTurnToBuild(file);
  }
  return null;
}

/**
 * Keeps `events`, the log `seedCounty` wrote with these options and the current sources, as the
 * fixture's file (the seed's own test keeps the county it built and checked, instead of building it
 * a second time).
 */
export async function keepFixture(options: FixtureOptions, events: readonly StoredEvent[]): Promise<void> {
  const file = fixtureFile(options);
  await mkdir(FIXTURE_DIR, { recursive: true });
  // Written whole, then renamed: a reader never sees half a file; two builders write the same bytes.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, JSON.stringify(requestsOf(events)));
  await rename(partial, file);
}
