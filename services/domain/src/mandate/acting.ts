/** "Every act is by a person acting in a mandate valid on the act's date." */
import { DomainError } from '../kernel/errors.ts';
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

/** The mandate, checked to belong to the person and to be valid on `on` (ISO date); else a DomainError. */
export async function actingMandate(lookups: Lookups, mandateId: string, personId: string, on: string, kinds?: readonly MandateKind[]): Promise<ActingMandate> {
  const { state } = await lookups.state(mandateDecider, mandateStream(mandateId));
  if (state.status === 'none') throw new DomainError('mandate-not-found', { zh: '找不到该任职', en: 'No such mandate' }, 'mandateId');
  if (state.personId !== personId) {
    throw new DomainError('mandate-of-other-person', { zh: '该任职不属于此人', en: 'This mandate belongs to someone else' }, 'mandateId');
  }
  const { state: term } = await lookups.state(termDecider, termStream(state.termId));
  const validTo = state.endsOn ?? (term.status === 'closed' ? term.closedOn : null);
  if (on < state.startsOn || (validTo !== null && on > validTo)) {
    throw new DomainError(
      'mandate-not-valid',
      {
        zh: `${on} 不在该任职期间（${state.startsOn} 至 ${validTo ?? '今'}）`,
        en: `${on} is outside the mandate (${state.startsOn} to ${validTo ?? 'now'})`,
      },
      'mandateId',
    );
  }
  if (kinds && !kinds.includes(state.kind)) {
    throw new DomainError('mandate-kind', { zh: '该任职的类别不能办理此事项', en: 'This kind of mandate cannot do this' }, 'mandateId');
  }
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
