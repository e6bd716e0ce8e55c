/**
 * Renders docs/concepts.md: each concept of the county's work and the files that hold it. The
 * concepts and the GraphQL and web files named for each are declared below (and must exist); the
 * rest is found in the code: the files of the concept's domain areas that define its events,
 * commands and decider, and the read models whose projections handle those events
 * (`npm run concepts -w @yingpan/projections`; a test fails when the page is stale).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Projection } from './engine/projection.ts';

interface Concept {
  name: string;
  zh: string;
  /** Folders of services/domain/src. */
  areas: readonly string[];
  /** Files of services/api/src/schema. */
  graphql: readonly string[];
  /** Paths under web/src/routes. */
  web: readonly string[];
}

export const CONCEPTS: readonly Concept[] = [
  { name: 'person', zh: '人员', areas: ['person'], graphql: ['people.ts', 'search.ts', 'public.ts'], web: ['people', 'public'] },
  { name: 'term and mandate', zh: '届次与职务', areas: ['mandate'], graphql: ['people.ts', 'term-change.ts'], web: ['settings', 'handover'] },
  {
    name: 'training and activity',
    zh: '培训、监督活动与会议',
    areas: ['activity'],
    graphql: ['training.ts', 'statistics.ts'],
    web: ['training', 'record/forms/activities.ts'],
  },
  { name: 'pairing', zh: '结队帮带', areas: ['pairing'], graphql: ['handover.ts'], web: ['record/forms/help-and-pairing.ts', 'handover'] },
  { name: 'station', zh: '代表之家、联络站', areas: ['station'], graphql: ['stations.ts'], web: ['stations', 'record/forms/stations.ts'] },
  { name: 'opinion', zh: '选民意见', areas: ['opinion'], graphql: ['stations.ts', 'voter-readers.ts'], web: ['stations', 'record/forms/opinions.ts'] },
  { name: 'suggestion', zh: '建议、议案', areas: ['suggestion'], graphql: ['handover.ts'], web: ['record/forms/suggestions.ts', 'handover'] },
  { name: 'report', zh: '年述职', areas: ['report'], graphql: ['stations.ts'], web: ['record/forms/stations.ts'] },
  { name: 'practical help', zh: '为群众办实事', areas: ['service'], graphql: ['people.ts'], web: ['record/forms/help-and-pairing.ts'] },
  { name: 'regulation and scoring', zh: '制度与量化评价', areas: ['regulation'], graphql: ['regulations.ts', 'scores.ts'], web: ['regulations', 'people'] },
  { name: 'review and correction', zh: '审核与更正', areas: ['review'], graphql: ['review.ts'], web: ['record', 'me', 'record/forms/corrections.ts'] },
  { name: 'handover', zh: '换届交接', areas: ['handover'], graphql: ['handover.ts', 'term-change.ts'], web: ['handover'] },
  {
    name: 'account',
    zh: '账户与授权',
    areas: ['account'],
    graphql: ['accounts.ts', 'passkeys.ts', 'single-sign-on.ts'],
    web: ['admin/accounts', 'account', 'login'],
  },
  { name: 'evidence', zh: '佐证材料', areas: ['evidence'], graphql: ['evidence.ts'], web: ['files'] },
];

const filesUnder = (folder: string): string[] =>
  readdirSync(folder)
    .flatMap((name) => {
      const full = path.join(folder, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    })
    .filter((file) => file.endsWith('.ts'))
    .sort();

const code = (files: readonly string[]) => (files.length ? files.map((file) => `\`${file}\``).join(', ') : '—');

/** The table, from the repository at `root`, given every projection. */
export function renderConcepts(root: string, projections: readonly Projection[]): string {
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const exists = (file: string) => {
    statSync(path.join(root, file));
    return file;
  };
  // Each read model's folder: the folder of the file that declares the projection's name.
  const projectionFiles = filesUnder(path.join(root, 'projections/src'));
  const folderOf = (projection: Projection) => {
    const file = projectionFiles.find((candidate) => new RegExp(`name: '${projection.name}',\\s*version:`).test(readFileSync(candidate, 'utf8')));
    if (!file) throw new Error(`no file declares the projection ${projection.name}`);
    return relative(path.dirname(file));
  };
  const rows = CONCEPTS.map((concept) => {
    const areaFiles = concept.areas.flatMap((area) => filesUnder(path.join(root, 'services/domain/src', area)));
    const withText = (pattern: RegExp) => areaFiles.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map(relative);
    const eventTypes = areaFiles.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/defineEvent\(\{\s*type: '(\w+)'/g)].map((match) => match[1]!));
    const models = projections
      .filter((projection) => projection.handles.some((type) => eventTypes.includes(type)))
      .map((projection) => `${projection.name} (\`${folderOf(projection)}/\`)`);
    return [
      `${concept.name} (${concept.zh})`,
      code(withText(/defineEvent\(/)),
      code(withText(/defineCommand\(/)),
      code(withText(/Decider\b[^=\n]*=/)),
      models.join(', ') || '—',
      code(concept.graphql.map((file) => exists(`services/api/src/schema/${file}`))),
      code(concept.web.map((route) => exists(`web/src/routes/${route}`))),
    ];
  });
  const table = [
    '| concept | events | commands | decider | read models | GraphQL | web |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ];
  return `${[
    '# Concepts and where they live',
    'Each concept of the county’s work and the files that hold it: its events, commands and decider in the domain, ' +
      'the read models that project its events, its GraphQL types and its web pages. Generated by ' +
      '`npm run concepts -w @yingpan/projections` (the concepts and their GraphQL and web files are declared in ' +
      '`projections/src/concepts.ts`, the rest is found in the code); a test fails when this page is stale. ' +
      'The map of the house: [architecture.md](architecture.md).',
    table.join('\n'),
  ].join('\n\n')}\n`;
}
