/**
 * What a record page's link opens a form with: the record the form acts on, as the page that shows
 * it names it (`?form=register-opinion&station=…&reception=…&on=2026-12-01` from a reception's row,
 * `?form=record-participation&activity=…&activityLabel=…` from an activity). The clerk never types
 * these; the form shows them in words.
 */
import type { Values } from '../forms/engine';

/** URL parameter → form value. */
const PARAMS: Record<string, string> = {
  station: 'stationId',
  reception: 'receptionId',
  on: 'receptionOn',
  activity: 'activityId',
  activityLabel: 'activityLabel',
  suggestion: 'suggestionId',
  suggestionLabel: 'suggestionLabel',
  pairing: 'pairingId',
  pairingLabel: 'pairingLabel',
};

export function presetFromUrl(params: URLSearchParams): Values {
  const values: Values = {};
  for (const [param, name] of Object.entries(PARAMS)) {
    const value = params.get(param)?.trim();
    if (value) values[name] = value;
  }
  return values;
}

/** The link that opens `form` with those values (the inverse of `presetFromUrl`). */
export function formHref(form: string, values: Partial<Record<keyof typeof PARAMS, string | null | undefined>>): string {
  const params = new URLSearchParams({ form });
  for (const [param, value] of Object.entries(values)) if (value) params.set(param, value);
  return `/record?${params.toString()}`;
}

/** A record as a history or book row shows it. */
export interface RowRecord {
  act: string;
  date: string;
  streamId?: string | null;
  activityId?: string | null;
  summary?: string | null;
}

export interface FollowUp {
  /** Test id suffix and what it does. */
  id: 'attendance' | 'suggestion' | 'pairing';
  label: { zh: string; en: string };
  href: string;
}

const SUGGESTION_ACTS = ['suggestion', 'motion', 'SUGGESTION', 'MOTION'];

/**
 * What a record's row offers besides correcting it: an activity's attendance (from anyone's record
 * of it), a suggestion's handling (from its lead's record), another activity of the same pairing.
 * `what` is the record in words (the form shows it instead of an id).
 */
export function followUps(record: RowRecord, what: string): FollowUp[] {
  const ups: FollowUp[] = [];
  const [category, id] = (record.streamId ?? '').split(':');
  if (record.activityId)
    ups.push({
      id: 'attendance',
      label: { zh: '登记出勤', en: 'Attendance' },
      href: formHref('record-participation', { activity: record.activityId, activityLabel: what }),
    });
  if (category === 'suggestion' && id && SUGGESTION_ACTS.includes(record.act))
    ups.push({
      id: 'suggestion',
      label: { zh: '办理', en: 'Handle' },
      href: formHref('assign-suggestion', { suggestion: id, suggestionLabel: record.summary ? `${what}「${record.summary}」` : what }),
    });
  if (category === 'pairing' && id)
    ups.push({
      id: 'pairing',
      label: { zh: '再登记一次活动', en: 'Record another' },
      href: formHref('pairing-activity', { pairing: id, pairingLabel: `${what}所属的结对` }),
    });
  return ups;
}
