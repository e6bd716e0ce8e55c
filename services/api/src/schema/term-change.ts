/**
 * Completing a term change (换届衔接): for a closed term, the steps that end what its mandates held
 * or carry it over to the re-elected holders' new mandates (the domain's planTermChange), shown
 * before they are taken, and taken in one confirmed step (completeTermChange). Each step is an
 * ordinary command; its events carry its reason. Read from the streams, found through the read
 * models (readModelTermChangeFinder).
 */
import {
  commandDefinitions,
  completeTermChange,
  DomainError,
  Lookups,
  planTermChange,
  registry,
  type TermChangePlan,
  type TermChangeStep,
} from '@yingpan/domain';
import { readModelTermChangeFinder } from '@yingpan/projections';
import { builder } from './builder.ts';
import { rolesText, uuidArg, vocabulary } from './common.ts';
import type { Context } from '../context.ts';

const STEP_KINDS = [
  'end-mandate',
  'carry-over-assignment',
  'end-assignment',
  'carry-over-manager',
  'end-manager',
  'carry-over-pairing',
] as const satisfies readonly TermChangeStep['kind'][];
const TermChangeStepKind = vocabulary(
  'TermChangeStepKind',
  'Kinds of step that complete a term change.',
  STEP_KINDS,
  (kind) =>
    ({
      'end-mandate': '任职届满终止',
      'carry-over-assignment': '连任代表续驻家站',
      'end-assignment': '未连任代表离站',
      'carry-over-manager': '连任负责人继续负责家站',
      'end-manager': '负责人卸任（家站待指定负责人）',
      'carry-over-pairing': '结队帮带换届衔接',
    })[kind],
);

const StepRef = builder.objectRef<TermChangeStep>('TermChangeStep').implement({
  description: 'One step of completing a term change: one command on one stream.',
  fields: (t) => ({
    kind: t.field({ type: TermChangeStepKind, resolve: (step) => step.kind }),
    key: t.exposeString('key', { description: 'Unique in the plan (the stream and whom it concerns); the command id is derived from it.' }),
    message: t.exposeString('zh', { description: 'What the step does, in Chinese.' }),
    messageEn: t.exposeString('en', { description: 'The same in English.' }),
  }),
});

const PlanRef = builder.objectRef<TermChangePlan>('TermChangePlan').implement({
  description: 'What is left to do to complete a closed term’s change; empty steps when it is complete.',
  fields: (t) => ({
    termId: t.exposeID('termId'),
    number: t.exposeInt('number', { description: 'The term’s ordinal, e.g. 18 for 第十八届.' }),
    closedOn: t.expose('closedOn', { type: 'Date', description: 'The day the term closed (its mandates’ last day).' }),
    steps: t.field({ type: [StepRef], resolve: (plan) => plan.steps }),
  }),
});

interface Refusal {
  step: TermChangeStep;
  code: string;
  zh: string;
  en: string;
}
const RefusalRef = builder.objectRef<Refusal>('TermChangeRefusal').implement({
  description: 'A step the domain refused; the others were taken. Running the change again retries it.',
  fields: (t) => ({
    step: t.field({ type: StepRef, resolve: (refusal) => refusal.step }),
    code: t.exposeString('code'),
    message: t.exposeString('zh'),
    messageEn: t.exposeString('en'),
  }),
});

interface Outcome {
  done: TermChangeStep[];
  refused: Refusal[];
  position: number;
}
const OutcomeRef = builder.objectRef<Outcome>('TermChangeCompleted').implement({
  description: 'The steps taken and those refused.',
  fields: (t) => ({
    done: t.field({ type: [StepRef], resolve: (outcome) => outcome.done }),
    refused: t.field({ type: [RefusalRef], resolve: (outcome) => outcome.refused }),
    position: t.exposeInt('position', {
      description: 'The log position of the last event written (0: none); send it as `X-Consistent-With` to read the read models once they include it.',
    }),
  }),
});

/** Who may complete a term change: those who may take every kind of step. */
const ROLES = (() => {
  const names = [
    'EndMandateAtTermClose',
    'CarryOverStationAssignment',
    'UnassignDeputyFromStation',
    'AssignStationManager',
    'EndStationManagerRole',
    'CarryOverPairing',
  ];
  const roleSets = names.map((name) => commandDefinitions.find((definition) => definition.name === name)!.roles);
  return roleSets[0]!.filter((role) => roleSets.every((roles) => roles.includes(role)));
})();

const mayChange = (context: Context) => (ROLES as readonly string[]).includes(context.actor.role);
const forbiddenChange = () => new DomainError('forbidden', { zh: '当前角色无权办理换届衔接', en: 'Your role may not complete a term change' }, null);

builder.queryField('termChangePlan', (t) =>
  t.field({
    type: PlanRef,
    description: `What is left to complete a closed term’s change (换届衔接), step by step, before anything is done. For ${rolesText(ROLES)}.`,
    errors: { types: [DomainError] },
    args: { termId: t.arg.id({ required: true }) },
    async resolve(_, { termId }, context) {
      if (!mayChange(context)) throw forbiddenChange();
      return planTermChange(new Lookups(context.store, registry), readModelTermChangeFinder(context.db), uuidArg(termId, 'termId'));
    },
  }),
);

builder.mutationField('completeTermChange', (t) =>
  t.field({
    type: OutcomeRef,
    description: `Completes a closed term’s change in one confirmed step: ends what its mandates held, or carries it over to the re-elected holders’ new mandates, each step an event with its reason. Running it again does only what is left. May be issued by: ${rolesText(ROLES)}.`,
    errors: { types: [DomainError] },
    args: { termId: t.arg.id({ required: true }) },
    async resolve(_, { termId }, context) {
      if (!mayChange(context)) throw forbiddenChange();
      const id = uuidArg(termId, 'termId');
      const base = context.commandContext(crypto.randomUUID());
      const { done, refused, positions } = await completeTermChange(
        context.commands,
        new Lookups(context.store, registry),
        readModelTermChangeFinder(context.db),
        id,
        {
          actor: base.actor,
          occurredAt: base.occurredAt,
        },
      );
      const position = Math.max(0, ...positions);
      // Read-your-write: the request's answer names the position (consistency.ts), or the read models are awaited.
      const ctx = context as Context & { written?: { position: number }; waitForProjections?: (position: number) => Promise<void> };
      if (ctx.written) ctx.written.position = Math.max(ctx.written.position, position);
      else if (position > 0) await ctx.waitForProjections?.(position);
      return { done, refused, position };
    },
  }),
);
