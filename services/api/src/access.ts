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
 * - Voters' personal data (name, phone, address of the voter behind an opinion) is seen by the
 *   deputy who received the opinion, by those who handle opinions (office staff and station
 *   managers) and by auditors; for everyone else it is withheld, in the log as well.
 */
import { commandDefinitions, type Role } from '@yingpan/domain';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Actor } from './auth.ts';

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
});

/** May `actor` see the personal data of the voter whose opinion `receivedByPersonId` received? */
export const maySeeVoter = (actor: Actor, receivedByPersonId: string | null | undefined): boolean =>
  VOTER_DATA_READERS.includes(actor.role) || (actor.role === 'deputy' && actor.personId === receivedByPersonId);

/** What stands in for withheld personal data. */
export const WITHHELD = { withheld: true } as const;

/**
 * A copy of an event's data or a folded state with every `voter` withheld that `actor` may not
 * see: an opinion's voter is visible to the deputy named by `receivedByPersonId` beside it.
 */
export function withholdVoters(actor: Actor, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => withholdVoters(actor, item));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const receiver = typeof record.receivedByPersonId === 'string' ? record.receivedByPersonId : null;
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) =>
      key === 'voter' && item !== null && !maySeeVoter(actor, receiver) ? [key, WITHHELD] : [key, withholdVoters(actor, item)],
    ),
  );
}

/** The error a field denied to the caller's role answers with. */
export function forbidden(actor: Actor): GraphQLError {
  const signedIn = actor.role !== 'public';
  const messageEn = signedIn ? `The ${actor.role} role may not read this` : 'Sign in to read this; the public sees only disclosed profiles';
  const messageZh = signedIn ? '当前角色无权查看此内容' : '请先登录；公众仅可查看公开的代表信息';
  return createGraphQLError(messageEn, { extensions: { code: signedIn ? 'FORBIDDEN' : 'UNAUTHENTICATED', messageEn, messageZh } });
}
