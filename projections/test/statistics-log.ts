/**
 * Test helper for the statistics and handover suites: the approved act records computed from the
 * raw log alone (yingpan.events), independently of any projection — the final status from the
 * review chain (a withdrawn suggestion's submission no longer counts), the final data from the last
 * correction, the team from the mandate's kind.
 */

/**
 * A CTE list ending in `approved(record_id, act, person_id, mandate_id, act_date, team)`.
 * $1: the record-creating event types; $2: the last log position to read.
 */
export const APPROVED_FROM_LOG = `
  WITH created AS (
    SELECT data->>'recordId' AS record_id, data, (data->>'declared')::boolean AS declared, occurred_at
      FROM yingpan.events e WHERE type = ANY($1::text[]) AND position <= $2
       AND NOT EXISTS (SELECT 1 FROM yingpan.events w WHERE w.type = 'SuggestionWithdrawn' AND w.stream_id = e.stream_id AND w.position <= $2)),
  last_review AS (
    SELECT DISTINCT ON (data->>'recordId') data->>'recordId' AS record_id, type
      FROM yingpan.events WHERE type IN ('RecordApproved', 'RecordRejected', 'RecordRetracted') AND position <= $2
     ORDER BY data->>'recordId', position DESC),
  last_correction AS (
    SELECT DISTINCT ON (data->>'recordId') data->>'recordId' AS record_id, data->'corrected' AS data
      FROM yingpan.events WHERE type = 'RecordCorrected' AND position <= $2
     ORDER BY data->>'recordId', position DESC),
  mandate_kinds AS (
    SELECT data->>'mandateId' AS mandate_id, data->>'kind' AS kind FROM yingpan.events WHERE type = 'MandateStarted'),
  final AS (
    SELECT c.record_id, coalesce(f.data, c.data) AS data, c.occurred_at
      FROM created c LEFT JOIN last_review r USING (record_id) LEFT JOIN last_correction f USING (record_id)
     WHERE coalesce(r.type, CASE WHEN c.declared THEN 'pending' ELSE 'RecordApproved' END) = 'RecordApproved'),
  approved AS (
    SELECT f.record_id, f.data->>'act' AS act, f.data->>'personId' AS person_id, f.data->>'mandateId' AS mandate_id,
           coalesce((f.data->>'date')::date, f.occurred_at::date) AS act_date,
           CASE k.kind WHEN 'committee-member' THEN 'committee' WHEN 'special-committee-member' THEN 'committee'
                       WHEN 'office-staff' THEN 'staff' WHEN 'township-chair' THEN 'township-chair'
                       WHEN 'deputy' THEN 'deputy' ELSE 'unknown' END AS team
      FROM final f LEFT JOIN mandate_kinds k ON k.mandate_id = f.data->>'mandateId')`;
