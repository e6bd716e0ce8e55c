/**
 * Who may read what: the one place the API's read policy lives. (Who may issue which command is
 * the domain's: each command names its roles, and a deputy may only declare their own acts.)
 *
 * - The public (no token) reads only what is disclosed (主动公开): deputies' public profiles and
 *   performance summaries (`me`, `publicDeputies`, `publicDeputy`).
 * - Every signed-in role reads the read models: people, scores, handover, stations, statistics.
 * - The event log (`events`, `streamHistory`, `chainStatus`) is for auditors and administrators.
 * - The declarations awaiting review (`pendingRecords`) are for the roles that review them, those
 *   the domain lets issue ApproveRecord (staff, station managers, committee members, admin); a
 *   deputy sees their own declarations awaiting review, nobody else's.
 * - Voters' personal data (name, phone, address of the voter behind an opinion, and the opinion in
 *   their own words: the domain's OPINION_PERSONAL_FIELDS) is seen by the deputy who received the
 *   opinion, by those who handle opinions (office staff, and station managers at the stations
 *   they are in charge of) and by auditors; for everyone else, administrators included, it is
 *   withheld, in the log as well. (What a station manager may *do* is limited to their stations
 *   by the domain: services/domain/src/station/in-charge.ts.)
 * - A password's argon2id hash (account events, ACCOUNT_SECRET_FIELDS) is withheld from everyone.
 * - A station manager signed in with an account is in charge of the stations their grants name.
 */
import { createContextCache } from '@pothos/core';
import { ACCOUNT_SECRET_FIELDS, commandDefinitions, countyToday, OPINION_PERSONAL_FIELDS, type EvidenceSubject, type Role } from '@yingpan/domain';
import type { Db, Queryable } from '@yingpan/db';
import { type AccountRow, accountsWithGrantsOn, type GrantRow, stationsManagedBy, stationsOfTownship } from '@yingpan/projections';
import type { GraphQLError } from 'graphql';
import { actorFromGrants } from './auth-accounts.ts';
import type { Actor } from './auth.ts';
import type { Context } from './context.ts';
import { requestError } from './errors.ts';

/** The scopes the schema's fields are guarded by (Pothos scope-auth). */
export interface Scopes {
  /** Any token: everything but the public. */
  signedIn: boolean;
  /** The event log. */
  auditLog: boolean;
  /** The declarations awaiting review. */
  reviewQueue: boolean;
  /** One's own declarations awaiting review (deputies declare their acts). */
  ownDeclarations: boolean;
  /** Accounts and their grants (administrators). */
  manageAccounts: boolean;
  /** The running system's state: database, standbys, read models (administrators). */
  systemStatus: boolean;
}

const LOG_READERS: readonly Role[] = ['auditor', 'admin'];
/** Those who may approve or reject a declaration (the domain's ApproveRecord roles). */
const REVIEWERS: readonly Role[] = commandDefinitions.find((definition) => definition.name === 'ApproveRecord')!.roles;
/** Roles that handle voters' opinions (or audit them) and so see who raised them. */
const VOTER_DATA_READERS: readonly Role[] = ['staff', 'station-manager', 'auditor'];

export const scopesOf = (actor: Actor): Scopes => ({
  signedIn: actor.role !== 'public',
  auditLog: LOG_READERS.includes(actor.role),
  reviewQueue: REVIEWERS.includes(actor.role),
  ownDeclarations: actor.role === 'deputy' && !!actor.personId,
  manageAccounts: actor.role === 'admin',
  systemStatus: actor.role === 'admin',
});

/** May `actor` see the personal data of the voter whose opinion `receivedByPersonId` received? */
export const maySeeVoter = (actor: Actor, receivedByPersonId: string | null | undefined): boolean =>
  VOTER_DATA_READERS.includes(actor.role) || (actor.role === 'deputy' && actor.personId === receivedByPersonId);

/** Per request: the stations a station manager is in charge of today (none for any other role). */
const managed = createContextCache(
  (context: Context): Promise<ReadonlySet<string>> =>
    context.actor.role === 'station-manager' && context.actor.stationIds !== undefined
      ? Promise.resolve(new Set(context.actor.stationIds)) // an account's grants name the stations
      : context.actor.role === 'station-manager' && context.actor.personId
        ? stationsManagedBy(context.db, context.actor.personId, countyToday()).then((ids) => new Set(ids))
        : Promise.resolve(new Set()),
);

/**
 * May the caller see the voters' personal data of a station's books? Those who see every voter's,
 * a deputy (their own opinions'; the rest are withheld row by row), and a station manager at a
 * station they are in charge of.
 */
export async function maySeeVotersAt(context: Context, stationId: string): Promise<boolean> {
  if (context.actor.role === 'station-manager') return (await managed(context)).has(stationId);
  return maySeeVoter(context.actor, null) || context.actor.role === 'deputy';
}

/**
 * The whole rule for one opinion, book and row together: may `actor`, in charge of the stations
 * `managedStations` (station managers), see the personal data of the voter behind an opinion raised
 * at `stationId` and received by `receivedByPersonId`?
 */
export const maySeeVoterOf = (actor: Actor, managedStations: ReadonlySet<string>, opinion: { stationId: string; receivedByPersonId: string }): boolean =>
  actor.role === 'station-manager' ? managedStations.has(opinion.stationId) : maySeeVoter(actor, opinion.receivedByPersonId);

/** One account that could read a voter's personal data on a day, with the grants that let it. */
export interface VoterReader {
  account: AccountRow;
  /** The role it acted in that day (its most capable grant's). */
  role: Role;
  grants: GrantRow[];
}

/**
 * Who could read the voter behind an opinion on `day`: every account whose grants holding that day
 * make an actor this read policy lets see it (the same rule the books, the log and stream histories
 * follow). Service tokens are not accounts and are not listed.
 */
export async function voterReadersOn(db: Queryable, opinion: { stationId: string; receivedByPersonId: string }, day: string): Promise<VoterReader[]> {
  const readers: VoterReader[] = [];
  for (const { account, grants } of await accountsWithGrantsOn(db, day)) {
    const actor = await actorFromGrants(account, grants, (township) => stationsOfTownship(db, township));
    const stations =
      actor.role !== 'station-manager'
        ? new Set<string>()
        : new Set(actor.stationIds ?? (account.personId ? await stationsManagedBy(db, account.personId, day) : []));
    if (maySeeVoterOf(actor, stations, opinion)) readers.push({ account, role: actor.role, grants });
  }
  return readers;
}

/** What the evidence rule looks at: what the files prove, whom it concerns, at which station (the domain's EvidenceSubject). */
export type EvidenceScope = Pick<EvidenceSubject, 'kind' | 'people' | 'stationId'>;

/**
 * The whole rule for evidence files (佐证材料): may `actor`, in charge of the stations
 * `managedStations` (station managers), see the files of `subject`? They show people, voters among
 * them (a reception's photos, an opinion's papers), so they follow who may see voters' data: staff
 * and auditors all; a station manager what is at the stations they are in charge of; a deputy what
 * concerns them (their own record, a reception they led or were recorded at, an opinion they
 * received). Committee members and administrators see the evidence of records only, never of
 * receptions and opinions; the public none. The same rule serves a file's address (files-http.ts)
 * and the `evidence` fields of the schema (schema/evidence.ts).
 */
export function mayReadEvidenceOf(actor: Actor, managedStations: ReadonlySet<string>, subject: EvidenceScope): boolean {
  switch (actor.role) {
    case 'staff':
    case 'auditor':
      return true;
    case 'station-manager':
      return !!subject.stationId && managedStations.has(subject.stationId);
    case 'deputy':
      return !!actor.personId && subject.people.includes(actor.personId);
    case 'committee-member':
    case 'admin':
      return subject.kind === 'record';
    default:
      return false;
  }
}

/** mayReadEvidenceOf for one request outside GraphQL (a file's address): the stations managed today are looked up. */
export async function mayReadEvidence(db: Db, actor: Actor, subject: EvidenceScope): Promise<boolean> {
  const stations =
    actor.role !== 'station-manager'
      ? new Set<string>()
      : new Set(actor.stationIds ?? (actor.personId ? await stationsManagedBy(db, actor.personId, countyToday()) : []));
  return mayReadEvidenceOf(actor, stations, subject);
}

/** mayReadEvidenceOf in a GraphQL request (the stations managed are read once per request). */
export async function mayReadEvidenceIn(context: Context, subject: EvidenceScope): Promise<boolean> {
  return mayReadEvidenceOf(context.actor, context.actor.role === 'station-manager' ? await managed(context) : new Set(), subject);
}

/** What stands in for withheld personal data. */
export const WITHHELD = { withheld: true } as const;

const PERSONAL: readonly string[] = OPINION_PERSONAL_FIELDS;
/** Never shown to anyone, auditors included: a password's hash (the domain's ACCOUNT_SECRET_FIELDS). */
const SECRET: readonly string[] = ACCOUNT_SECRET_FIELDS;

/**
 * A copy of an event's data or a folded state with the voter's personal data withheld wherever
 * `actor` may not see it: in an opinion (an object naming the deputy who received it,
 * `receivedByPersonId`), each of the domain's OPINION_PERSONAL_FIELDS, at any depth.
 */
export function withholdVoters(actor: Actor, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withholdVoters(actor, item));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const opinion = 'receivedByPersonId' in record;
  const hidden = opinion && !maySeeVoter(actor, typeof record.receivedByPersonId === 'string' ? record.receivedByPersonId : null);
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) =>
      SECRET.includes(key) || (hidden && PERSONAL.includes(key) && item !== null && item !== undefined) ? [key, WITHHELD] : [key, withholdVoters(actor, item)],
    ),
  );
}

/** The error a field denied to the caller's role answers with. */
export function forbidden(actor: Actor): GraphQLError {
  if (actor.mustEnrolTotp) {
    const messageEn = 'Enrol an authenticator app on My account first: administrators and auditors sign in with its code';
    const messageZh = '请先在“我的账户”绑定身份验证器：系统管理员和审计员须凭动态码登录';
    return requestError('totp-enrolment-required', { en: messageEn, zh: messageZh });
  }
  const signedIn = actor.role !== 'public';
  const messageEn = signedIn ? `The ${actor.role} role may not read this` : 'Sign in to read this; the public sees only disclosed profiles';
  const messageZh = signedIn ? '当前角色无权查看此内容' : '请先登录；公众仅可查看公开的代表信息';
  return requestError(signedIn ? 'forbidden' : 'unauthenticated', { en: messageEn, zh: messageZh });
}
