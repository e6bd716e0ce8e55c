/**
 * The domain's vocabulary for the web: act kinds with their names and the headline each counts
 * toward, the headlines, the kinds of activity and training, the roles, and the event types by
 * stream. The web cannot import the domain, so `renderWebVocabulary` writes it as a TypeScript
 * module, `web/src/lib/vocabulary.generated.ts` (`npm run vocabulary -w @yingpan/domain`; a test
 * fails when the committed file is stale). Values are named as the GraphQL schema's enums name them
 * (`law-enforcement-inspection` → `LAW_ENFORCEMENT_INSPECTION`), and the module checks itself
 * against the web's generated GraphQL types, so a kind the schema lacks does not compile there.
 */
import { GRANTABLE_ROLES } from './account/events.ts';
import { ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, TRAINING_TYPE_LABELS, TRAINING_TYPES } from './activity/events.ts';
import { ACT_KINDS, ACT_VOCABULARY, actsCountedIn, HEADLINE_LABELS, HEADLINES, type Bilingual } from './kernel/acts.ts';
import type { EventRegistry } from './kernel/registry.ts';
import { ROLE_LABELS, ROLES } from './kernel/roles.ts';

/** A domain value as the GraphQL schema's enum names it. */
export const enumName = (value: string): string => value.toUpperCase().replaceAll('-', '_');

export const WEB_VOCABULARY_PATH = 'web/src/lib/vocabulary.generated.ts';

const quote = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const key = (value: string) => (/^[A-Za-z_$][\w$]*$/.test(value) ? value : quote(value));
const words = (label: Bilingual) => `{ zh: ${quote(label.zh)}, en: ${quote(label.en)} }`;
const list = (values: readonly string[]) => `[${values.map(quote).join(', ')}]`;
const record = (entries: [string, string][]) => `{\n${entries.map(([name, value]) => `  ${key(name)}: ${value},`).join('\n')}\n}`;

export function renderWebVocabulary(registry: EventRegistry): string {
  const acts = ACT_KINDS.map(enumName);
  const byStream = new Map<string, string[]>();
  for (const definition of registry.all()) byStream.set(definition.stream, [...(byStream.get(definition.stream) ?? []), definition.type]);
  return `${[
    '// Generated from the domain’s vocabulary (services/domain/src/kernel/acts.ts, roles.ts, activity/events.ts and the',
    '// event registry) by `npm run vocabulary -w @yingpan/domain`. Do not edit: a test fails when it is stale.',
    "import type { ActKind, OrganiseActivityKind, TrainingType } from './gql/graphql';",
    '',
    'export interface Words {\n  readonly zh: string;\n  readonly en: string;\n}',
    '',
    '/** Kinds of countable act (履职事项), as the schema’s ActKind names them. */',
    `export const ACT_KINDS = ${list(acts)} as const satisfies readonly ActKind[];`,
    '',
    '/** Each act kind’s name. */',
    `export const ACT_LABELS = ${record(ACT_KINDS.map((act) => [enumName(act), words(ACT_VOCABULARY[act])]))} as const satisfies Record<ActKind, Words>;`,
    '',
    '/** The county figures that count act records. */',
    `export const HEADLINES = ${list(HEADLINES)} as const;`,
    'export type Headline = (typeof HEADLINES)[number];',
    '',
    `export const HEADLINE_LABELS = ${record(HEADLINES.map((headline) => [headline, words(HEADLINE_LABELS[headline])]))} as const satisfies Record<Headline, Words>;`,
    '',
    '/** The act kinds each headline counts (every other kind counts toward none). */',
    `export const HEADLINE_ACTS = ${record(HEADLINES.map((headline) => [headline, list(actsCountedIn(headline).map(enumName))]))} as const satisfies Record<Headline, readonly ActKind[]>;`,
    '',
    '/** Organised activities other than trainings, as the schema’s OrganiseActivityKind names them; the supervision ones first. */',
    `export const ACTIVITY_KIND_LABELS = ${record(ACTIVITY_KINDS.map((kind) => [enumName(kind), words(ACTIVITY_KIND_LABELS[kind])]))} as const satisfies Record<OrganiseActivityKind, Words>;`,
    '',
    '/** Kinds of training, as the schema’s TrainingType names them. */',
    `export const TRAINING_TYPE_LABELS = ${record(TRAINING_TYPES.map((type) => [enumName(type), words(TRAINING_TYPE_LABELS[type])]))} as const satisfies Record<TrainingType, Words>;`,
    '',
    '/** Who may act (a viewer’s role, as the API reports it). */',
    `export const ROLES = ${list(ROLES)} as const;`,
    'export type Role = (typeof ROLES)[number];',
    '',
    `export const ROLE_LABELS = ${record(ROLES.map((role) => [role, words(ROLE_LABELS[role])]))} as const satisfies Record<Role, Words>;`,
    '',
    '/** The roles an account can be granted, as the schema’s GrantRole names them, with their names. */',
    `export const GRANT_ROLE_LABELS = ${record(GRANTABLE_ROLES.map((role) => [enumName(role), words(ROLE_LABELS[role])]))} as const satisfies Record<string, Words>;`,
    '',
    '/** Every event type the log holds, by the stream type it lives on. */',
    `export const EVENT_TYPES = ${record([...byStream.entries()].map(([stream, types]) => [stream, list(types)]))} as const;`,
    'export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES][number];',
  ].join('\n')}\n`;
}
