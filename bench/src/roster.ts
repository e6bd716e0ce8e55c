/**
 * People pickers over a large roster: `searchPeople`, `countPeople` and `peopleNamed` (the
 * directory read model's queries behind the API's `peopleSearch` and `peopleNamed`) on 100,000
 * people, each with a seat in one of 30 townships, in a throw-away PostgreSQL database. Each figure
 * is the latency of one query as a keystroke or a pasted sign-in sheet sends it (p50 and p99 over
 * many different texts), next to a baseline measured in the same run: fetching one person by
 * primary key from the same table (the cheapest query a picker could make). Also the cost of
 * working out a name's pinyin when the directory projects a person (pinyin-pro), next to a plain
 * string operation on the same names.
 *
 *   npm run bench:roster -w @yingpan/bench -- [--people N]   (BENCH_ROSTER_PEOPLE; default 100,000)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresDb, type Db } from '@yingpan/db';
import { countPeople, directory, mandates, namePinyin, peopleNamed, schemaOf, searchPeople, type PeopleSearch } from '@yingpan/projections';
import { percentile } from './measure.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, renderReport, titled, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/roster.md', import.meta.url));

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高唐邓蒋谢宋郑梁韩冯曹彭曾肖田董袁潘蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武单解仇',
];
const GIVEN = [...'明华建国秀英志强丽军敏静伟芳勇娟涛霞平刚兰文红梅海燕德玉庆春秋冬雪松林峰云飞俊杰宇鹏晓东兵富贵荣祥瑞福康宁安永长成发才光辉乐行重长'];
const TOWNSHIPS = Array.from({ length: 30 }, (_, index) => `第${index + 1}镇`);

/** A small seeded generator, so every run searches the same roster. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

interface Person {
  personId: string;
  name: string;
  initials: string;
  township: string;
}

/** The directory and mandates tables as their projections create them, filled with `count` people holding one seat each. */
async function buildRoster(db: Db, count: number): Promise<{ people: Person[]; pinyinMs: number; baselineMs: number; termId: string }> {
  for (const projection of [directory, mandates]) {
    const schema = schemaOf(projection);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`);
    await db.query(projection.tables(schema));
  }
  const rng = random(7);
  const names = Array.from({ length: count }, () => `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.next() < 0.7 ? rng.pick(GIVEN) : ''}`);
  // What the projection adds per person: the pinyin of the name; the baseline: a plain pass over the same names.
  let started = performance.now();
  const spoken = names.map((name) => namePinyin(name));
  const pinyinMs = performance.now() - started;
  started = performance.now();
  const plain = names.map((name) => [...name].reverse().join(''));
  const baselineMs = performance.now() - started;
  if (plain.length !== names.length) throw new Error('unreachable');

  const people: Person[] = names.map((name, index) => ({ personId: randomUUID(), name, initials: spoken[index]!.initials, township: rng.pick(TOWNSHIPS) }));
  const termId = randomUUID();
  const M = schemaOf(mandates);
  await db.query(`INSERT INTO ${M}.terms (term_id, number, starts_on, planned_end_on, opened_position) VALUES ($1, 18, '2021-10-01', '2026-12-31', 1)`, [
    termId,
  ]);
  for (let start = 0; start < people.length; start += 5_000) {
    const page = people.slice(start, start + 5_000);
    const pinyin = spoken.slice(start, start + 5_000);
    await db.query(
      `INSERT INTO ${schemaOf(directory)}.people (person_id, name, gender, public_servant, initials, pinyin)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[])`,
      [
        page.map((p) => p.personId),
        page.map((p) => p.name),
        page.map((_, i) => (i % 2 ? 'male' : 'female')),
        page.map(() => false),
        pinyin.map((s) => s.initials),
        pinyin.map((s) => s.pinyin),
      ],
    );
    await db.query(
      `INSERT INTO ${M}.mandates (mandate_id, person_id, term_id, kind, team, level, township, public_servant, by_election, starts_on, started_position)
       SELECT gen_random_uuid(), p, $2::uuid, 'deputy', 'deputy', 'township', t, false, false, '2021-10-01', 2 FROM unnest($1::uuid[], $3::text[]) AS u(p, t)`,
      [page.map((p) => p.personId), termId, page.map((p) => p.township)],
    );
  }
  await db.query(`ANALYZE ${schemaOf(directory)}.people; ANALYZE ${M}.mandates; ANALYZE ${M}.terms;`);
  return { people, pinyinMs, baselineMs, termId };
}

/** p50 and p99 of `op` over `texts`, after a few warm-up runs. */
async function latencies<T>(texts: readonly T[], op: (text: T) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (const text of texts.slice(0, 5)) await op(text);
  const times: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    await op(text);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function main(): Promise<void> {
  const count = sizeOption(process.argv.find((arg) => arg.startsWith('--people='))?.split('=')[1], process.env.BENCH_ROSTER_PEOPLE, 100_000, 'people');
  const url = databaseUrl();
  process.env.DATABASE_URL = url;
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const database = await createTestDatabase(url);
  const db = postgresDb({ connectionString: database.url, max: 2 });
  try {
    console.error(`[bench] building a roster of ${count.toLocaleString('en-US')} people…`);
    const { people, pinyinMs, baselineMs, termId } = await buildRoster(db, count);
    const rng = random(11);
    const sample = Array.from({ length: 200 }, () => rng.pick(people));
    const P = schemaOf(directory);

    const baseline = await latencies(sample, (person) => db.query(`SELECT person_id, name FROM ${P}.people WHERE person_id = $1`, [person.personId]));
    const first = { first: 8 };
    // Where a picker's first page of a surname ends: the cursor "more" continues from.
    const secondPages: { query: string; after: [number, string, string] }[] = [];
    for (const person of sample) {
      const query = person.name.slice(0, 1);
      const last = (await searchPeople(db, { query }, first)).matches.at(-1)!;
      secondPages.push({ query, after: [last.rank, last.name, last.personId] as [number, string, string] });
    }
    const cases: [string, readonly unknown[], (text: never) => Promise<unknown>][] = [
      ['searchPeople: pinyin initials of a name (`zs`), first 8', sample.map((p) => p.initials), (q: string) => searchPeople(db, { query: q }, first)],
      ['searchPeople: the first initial only (`z`), first 8', sample.map((p) => p.initials.slice(0, 1)), (q: string) => searchPeople(db, { query: q }, first)],
      ['searchPeople: a surname character (王), first 8', sample.map((p) => p.name.slice(0, 1)), (q: string) => searchPeople(db, { query: q }, first)],
      [
        'searchPeople: the last two characters of a name (inside it), first 8',
        sample.map((p) => p.name.slice(-2)),
        (q: string) => searchPeople(db, { query: q }, first),
      ],
      [
        'searchPeople: initials, seat held on a day in one township, first 8',
        sample.map((p): PeopleSearch => ({ query: p.initials, validOn: '2026-11-20', township: p.township, termId })),
        (search: PeopleSearch) => searchPeople(db, search, first),
      ],
      [
        'searchPeople: the second page of a surname character (after a cursor)',
        secondPages,
        (next: (typeof secondPages)[number]) => searchPeople(db, { query: next.query }, { first: 8, after: next.after }),
      ],
      ['countPeople: the total a picker shows for initials', sample.map((p) => p.initials), (q: string) => countPeople(db, { query: q })],
      [
        'peopleNamed: a sign-in sheet of 60 names',
        Array.from({ length: 100 }, () => Array.from({ length: 60 }, () => rng.pick(people).name)),
        (names: string[]) => peopleNamed(db, names),
      ],
    ];
    const rows: ResultRow[] = [];
    for (const [name, texts, op] of cases) {
      console.error(`[bench] ${name}`);
      const measured = await latencies(texts as never[], op);
      rows.push({ benchmark: `${name}: p50`, unit: 'ms', yingpan: measured.p50, baseline: baseline.p50 });
      rows.push({ benchmark: `${name}: p99`, unit: 'ms', yingpan: measured.p99, baseline: baseline.p99 });
    }
    rows.push({
      benchmark: `pinyin of ${count.toLocaleString('en-US')} names when projecting them (pinyin-pro), whole pass`,
      unit: 'ms',
      yingpan: pinyinMs,
      baseline: baselineMs,
    });

    const machine = await describeMachine(db);
    const workload = [
      `Roster: ${count.toLocaleString('en-US')} people (seeded random Chinese names of a common surname and one or two given characters: many namesakes), ` +
        'each with one township deputy seat in one of 30 townships, in the directory and mandates read models as their projections create them (the same tables and indexes), analysed. ' +
        'Each query runs once per text, one after another, over 200 texts taken from random people (the sheet: 100 sheets of 60 random names), after 5 warm-up runs. ' +
        'Baseline: one person by primary key from the same table, over the same 200 people. The pinyin row: working out every name’s initials and syllables (what the projection adds per person) next to reversing every name’s characters.',
    ];
    const report = renderReport(titled('yingpan roster search benchmark'), machine, workload, rows, [
      'A ratio above 1 on ms means the search is slower than fetching one person by id.',
    ]);
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    console.error(`[bench] written to ${RESULTS_FILE}`);
  } finally {
    await db.close().catch(() => {});
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
