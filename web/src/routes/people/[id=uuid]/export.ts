/**
 * A person's scorecard of a year as sheets: the score of each scored mandate with its parts, every
 * explanation line with the records behind it (the lines add up to the score), and the 8+X duties
 * period by period.
 */
import type { SheetSpec } from '$lib/export';
import { formatShare, roundPoints, termNumber } from '$lib/format';
import type { PersonScorecardQuery } from '$lib/gql/graphql';
import { type Locale, type Params, translate, type Words } from '$lib/i18n';
import { m } from '$lib/messages';
import { bandText, explanationSum } from './scorecard';

const H = {
  seat: { zh: '任职', en: 'Seat' },
  rules: { zh: '适用规则', en: 'Rules' },
  lineKind: { zh: '类别', en: 'Kind' },
  records: { zh: '依据记录（条）', en: 'Records' },
  recordList: { zh: '记录日期与日志位置', en: 'Record dates and log positions' },
  duty: { zh: '履职事项', en: 'Duty' },
  period: { zh: '期间', en: 'Period' },
  required: { zh: '应完成（次）', en: 'Required' },
  count: { zh: '实际（次）', en: 'Done' },
  result: { zh: '结果', en: 'Result' },
};

type MandateScore = PersonScorecardQuery['scorecard']['mandates'][number];

export function scorecardSheets(name: string, year: number, mandates: readonly MandateScore[], language: Locale): SheetSpec[] {
  const t = (message: Words, params?: Params) => translate(language, message, params);
  const h = (key: keyof typeof H) => t(H[key]);
  const seat = (mandate: MandateScore) =>
    [
      t(m.term.label, { number: termNumber(language, mandate.termNumber) }),
      t(m.kind[mandate.kind]),
      mandate.level ? t(m.level[mandate.level]) : null,
      mandate.township,
    ]
      .filter(Boolean)
      .join(' · ');
  const title = `${name} · ${t(m.common.year, { year })} · ${t(m.person.scorecard)}`;
  const notes = mandates.some((mandate) => mandate.provisional) ? [t(m.score.provisional)] : [];
  const rows = mandates.flatMap((mandate) => mandate.years.map((scored) => ({ mandate, scored })));
  const lines = rows.flatMap(({ mandate, scored }) => scored.explanation.map((line) => ({ mandate, line })));
  const periods = rows.flatMap(({ mandate, scored }) => scored.duties.flatMap((duty) => duty.periods.map((period) => ({ mandate, duty, period }))));

  return [
    {
      name: t(m.person.scorecard),
      title,
      notes,
      columns: [
        { key: 'seat', header: h('seat') },
        { key: 'total', header: t(m.score.total), kind: 'number' },
        { key: 'band', header: t(m.score.band) },
        { key: 'held', header: t(m.person.dates) },
        { key: 'rules', header: h('rules') },
        { key: 'met', header: t(m.compliance.met), kind: 'number' },
        { key: 'missed', header: t(m.compliance.missed), kind: 'number' },
        { key: 'base', header: t(m.score.subtotal.base), kind: 'number' },
        { key: 'points', header: t(m.score.subtotal.points), kind: 'number' },
        { key: 'deductions', header: t(m.score.subtotal.deductions), kind: 'number' },
        { key: 'penalties', header: t(m.score.subtotal.penalties), kind: 'number' },
        { key: 'proRata', header: t(m.score.subtotal.proRata), kind: 'number' },
        { key: 'clamp', header: t(m.score.subtotal.clamp), kind: 'number' },
      ],
      rows: rows.map(({ mandate, scored }) => ({
        seat: seat(mandate),
        total: scored.total ?? null,
        band: bandText(scored, t),
        held: `${scored.held.from} — ${scored.held.to}（${formatShare(scored.held.share)}）`,
        rules: scored.rules ? t(m.score.rules, { title: scored.rules.title.replace(/^《|》$/g, ''), version: scored.rules.version }) : '',
        met: scored.dutiesMet,
        missed: scored.dutiesMissed,
        base: roundPoints(scored.subtotals.base),
        points: roundPoints(scored.subtotals.points),
        deductions: roundPoints(scored.subtotals.deductions),
        penalties: roundPoints(scored.subtotals.penalties),
        proRata: roundPoints(scored.subtotals.proRata ?? 0),
        clamp: roundPoints(scored.subtotals.clamp),
      })),
    },
    {
      name: t(m.score.explanation),
      title: `${title} · ${t(m.score.explanation)}`,
      notes: [t(m.score.explanation.caption)],
      columns: [
        { key: 'seat', header: h('seat') },
        { key: 'kind', header: h('lineKind') },
        { key: 'label', header: t(m.score.explanation.label) },
        { key: 'points', header: t(m.score.explanation.points), kind: 'number' },
        { key: 'count', header: h('records'), kind: 'number' },
        { key: 'records', header: h('recordList') },
      ],
      rows: lines.map(({ mandate, line }) => ({
        seat: seat(mandate),
        kind: t(m.line[line.kind]),
        label: line.label,
        points: roundPoints(line.points),
        count: line.records.length,
        records: line.records.map((record) => `${record.date} #${record.position}`).join('，'),
      })),
      footer: { seat: t(m.score.explanation.sum), points: explanationSum(lines.map(({ line }) => line)) },
    },
    {
      name: t(m.score.duties),
      title: `${title} · ${t(m.score.duties)}`,
      columns: [
        { key: 'seat', header: h('seat') },
        { key: 'duty', header: h('duty') },
        { key: 'period', header: h('period') },
        { key: 'required', header: h('required'), kind: 'number' },
        { key: 'count', header: h('count'), kind: 'number' },
        { key: 'met', header: h('result') },
      ],
      rows: periods.map(({ mandate, duty, period }) => ({
        seat: seat(mandate),
        duty: `${duty.label}（${duty.core ? t(m.score.duty.core) : t(m.score.duty.extra)}）`,
        period: period.label,
        required: period.required,
        count: period.count,
        met:
          period.required === 0
            ? t(m.compliance.NOT_REQUIRED)
            : period.met
              ? t(m.compliance.MET)
              : period.pending
                ? t(m.compliance.PENDING)
                : t(m.compliance.MISSED),
      })),
    },
  ];
}
