/** How far a view knows terms and mandates. */
import { schemaOf } from '../engine/projection.ts';
import type { AsOf } from '../facts/as-of.ts';
import { mandates } from './projection.ts';

/**
 * The log position up to which a 'known' view knows terms and mandates, as SQL: the position
 * itself, or for an instant the last term or mandate event recorded by then (positions and
 * recording instants grow together).
 */
export function mandatesKnownPosition(asOf: Extract<AsOf, { view: 'known' }>, param: (value: unknown) => string): string {
  if ('position' in asOf) return param(asOf.position);
  return `(SELECT coalesce(max(c.position), 0) FROM ${schemaOf(mandates)}.clock c WHERE c.recorded_at <= ${param(asOf.at)}::timestamptz)`;
}
