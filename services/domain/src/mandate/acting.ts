/** "Every act is by a person acting in a mandate valid on the act's date." */
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import type { Lookups } from '../kernel/lookups.ts';
import type { MandateKind } from './events.ts';
import { mandateDecider, mandateStream, termDecider, termStream } from './decider.ts';

export interface ActingMandate {
  mandateId: string;
  personId: string;
  termId: string;
  kind: MandateKind;
  level: string | null;
  township: string | null;
  publicServant: boolean;
  validFrom: string;
  /** Last valid day: the mandate's own end, else its term's close, else null (still running). */
  validTo: string | null;
}

export interface ActingOptions {
  /** The mandate kinds allowed to do the act; any kind when absent. */
  kinds?: readonly MandateKind[];
  /** The input field a refusal is reported on: the one that names the mandate (default 'mandateId'). */
  field?: string;
  /** Put before a refusal's messages to say whose mandate it is, e.g. `{ zh: '附议代表（第 2 位）：', en: 'Co-signer 2: ' }`. */
  prefix?: { zh: string; en: string };
}

/**
 * The one rule for "who holds what on day D": a mandate, a station assignment, a manager role and
 * a pairing's place each run from a first day to a last day, or are open (null). A holding is held
 * on D when it began by D and its last day is not before D; a holding under a mandate is held no
 * longer than the mandate (its own end, else its term's close — a term's planned end is not an end).
 */
export const heldOn = (span: { from: string; to: string | null }, day: string): boolean => span.from <= day && (span.to === null || day <= span.to);

/** The earlier of two last days (null: open). */
export const earlierEnd = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** A mandate's last valid day: its own end, else its term's close, else null (still running); undefined when there is no such mandate. */
export async function mandateValidTo(lookups: Lookups, mandateId: string): Promise<string | null | undefined> {
  const { state } = await lookups.state(mandateDecider, mandateStream(mandateId));
  if (state.status === 'none') return undefined;
  const { state: term } = await lookups.state(termDecider, termStream(state.termId));
  return earlierEnd(state.endsOn, term.status === 'closed' ? term.closedOn : null);
}

/** The mandate, checked to belong to the person and to be valid on `on` (ISO date); else a DomainError. */
export async function actingMandate(
  lookups: Lookups,
  mandateId: string,
  personId: string,
  on: string,
  { kinds, field = 'mandateId', prefix }: ActingOptions = {},
): Promise<ActingMandate> {
  const refuse = (code: ErrorCode, zh: string, en: string) =>
    new DomainError(code, prefix ? { zh: `${prefix.zh}${zh}`, en: `${prefix.en}${en}` } : { zh, en }, field);
  // The term's read starts with the mandate's when this process knows the mandate's term already:
  // one round trip to the log instead of two, before the stream's turn. Used only if the mandate,
  // read now, still names that term.
  const known = lookups.cached(mandateDecider, mandateStream(mandateId));
  const knownTermId = known && known.status !== 'none' ? known.termId : undefined;
  const termRead = knownTermId ? lookups.state(termDecider, termStream(knownTermId)) : undefined;
  termRead?.catch(() => {}); // not awaited when the mandate is refused
  const { state } = await lookups.state(mandateDecider, mandateStream(mandateId));
  if (state.status === 'none') throw refuse('mandate-not-found', '找不到该任职', 'No such mandate');
  if (state.personId !== personId) throw refuse('mandate-of-other-person', '该任职不属于此人', 'This mandate belongs to someone else');
  const { state: term } = await (termRead && state.termId === knownTermId ? termRead : lookups.state(termDecider, termStream(state.termId)));
  const validTo = earlierEnd(state.endsOn, term.status === 'closed' ? term.closedOn : null);
  if (!heldOn({ from: state.startsOn, to: validTo }, on)) {
    throw refuse(
      'mandate-not-valid',
      `${on} 不在该任职期间（${state.startsOn} 至 ${validTo ?? '今'}）`,
      `${on} is outside the mandate (${state.startsOn} to ${validTo ?? 'now'})`,
    );
  }
  if (kinds && !kinds.includes(state.kind)) throw refuse('mandate-kind', '该任职的类别不能办理此事项', 'This kind of mandate cannot do this');
  return {
    mandateId,
    personId,
    termId: state.termId,
    kind: state.kind,
    level: state.level,
    township: state.township,
    publicServant: state.publicServant,
    validFrom: state.startsOn,
    validTo,
  };
}
