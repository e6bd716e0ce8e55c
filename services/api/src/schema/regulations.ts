/** Regulations (制度) and their versions — 立、改、废 — in any view of the past; open to everyone, as published regulations are. */
import { REGULATION_CATEGORY_LABELS, type RegulationCategory } from '@yingpan/domain';
import { regulations, type Regulation, type RegulationStep } from '@yingpan/projections';
import { AsOfInput } from './as-of.ts';
import { builder } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import { AS_OF, readAsOf } from './common.ts';
import { cachedWhileUnchanged } from '../read-cache.ts';

const STEP_LABELS: Record<RegulationStep['kind'], { zh: string; en: string }> = {
  enacted: { zh: '立', en: 'Enacted' },
  amended: { zh: '改', en: 'Amended' },
  repealed: { zh: '废', en: 'Repealed' },
};

const label = (category: string) => REGULATION_CATEGORY_LABELS[category as RegulationCategory] ?? category;

const RegulationStepRef = builder.objectRef<RegulationStep>('RegulationStep').implement({
  description: 'One step of a regulation’s life: enacted (立, version 1), amended (改, a new version) or repealed (废).',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'enacted | amended | repealed.' }),
    kindZh: t.string({ description: '立, 改 or 废.', resolve: (step) => STEP_LABELS[step.kind].zh }),
    version: t.exposeInt('version', { description: 'The version in force after this step (the last one, for a repeal).' }),
    effectiveOn: t.expose('effectiveOn', {
      type: 'Date',
      description: 'The day it took effect (YYYY-MM-DD); for a repeal, the first day without the regulation.',
    }),
    text: t.exposeString('text', { description: 'The regulation’s summary (立), what the amendment changed (改), or why it was repealed (废).' }),
    scoring: t.exposeBoolean('scoring', { description: 'Whether the version in force after this step carries scoring rules (量化评价办法).' }),
    position: t.exposeInt('position', { description: 'The log position of the event.' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When it was recorded (ISO instant).' }),
  }),
});

const RegulationRef = builder.objectRef<Regulation>('Regulation').implement({
  description: 'A regulation (制度) of the standing committee with every version seen in the view.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<Regulation>(
        'Regulation',
        (row) => row.regulationId,
        async ({ db }, regulationId) => {
          const asOf = { view: 'now' as const };
          const all = await cachedWhileUnchanged(db, 'regulations', { asOf }, () => regulations(db, { asOf }));
          return all.find((row) => row.regulationId === regulationId);
        },
      ),
    ),
    regulationId: t.exposeID('regulationId'),
    title: t.exposeString('title'),
    category: t.exposeString('category', { description: 'scoring | station | procedure | other.' }),
    categoryZh: t.string({ description: 'The category in Chinese, e.g. 履职量化评价.', resolve: (row) => label(row.category) }),
    status: t.exposeString('status', { description: 'in-force or repealed, in the view.' }),
    version: t.exposeInt('version', { description: 'The version in force (the last one, once repealed).' }),
    enactedOn: t.expose('enactedOn', { type: 'Date', description: 'The first version’s first day (YYYY-MM-DD).' }),
    repealedOn: t.expose('repealedOn', { type: 'Date', nullable: true, description: 'The first day without it, once repealed.' }),
    steps: t.field({ type: [RegulationStepRef], description: 'Every step seen in the view, oldest first.', resolve: (row) => row.steps }),
  }),
});

builder.queryFields((t) => ({
  regulations: t.field({
    skipTypeScopes: true,
    type: [RegulationRef],
    description:
      'The county’s regulations (制度) with their versions and what each changed, as of any view: in force first, then repealed, by title. ' +
      'Open to everyone, as published regulations are.',
    args: { asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
    resolve: (_, args, { db }) => {
      const asOf = readAsOf(args.asOf);
      return cachedWhileUnchanged(db, 'regulations', { asOf }, () => regulations(db, { asOf }));
    },
  }),
}));
