import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import type { ReviewEvent } from '../../src/review/events.ts';
import { suggestionDecider, type SuggestionCommand, type SuggestionStreamEvent } from '../../src/suggestion/decider.ts';
import type { SuggestionEvent } from '../../src/suggestion/events.ts';
import { spec } from '../spec.ts';

const suggestionId = randomUUID();
const leadPersonId = randomUUID();
const leadMandateId = randomUUID();
const coSigner = { personId: randomUUID(), mandateId: randomUUID() };
const recordId = randomUUID();
const staff = { personId: randomUUID(), declared: false };
const lead = { personId: leadPersonId, declared: true };
const otherDeputy = { personId: randomUUID(), declared: true };

const draftData = {
  suggestionId,
  kind: 'suggestion' as const,
  title: '关于改善乡村道路安全设施的建议',
  content: '多处急弯缺少护栏，建议增设护栏和警示标志。',
  leadPersonId,
  leadMandateId,
  draftedOn: '2024-01-10',
};
const drafted: SuggestionEvent = { type: 'SuggestionDrafted', data: draftData };
const motionDrafted: SuggestionEvent = { type: 'SuggestionDrafted', data: { ...draftData, kind: 'motion' } };

const submittedData = (declared: boolean, id = recordId) => ({
  recordId: id,
  act: 'suggestion' as const,
  personId: leadPersonId,
  mandateId: leadMandateId,
  date: '2024-01-15',
  declared,
  suggestionId,
  coSigners: [coSigner],
});
const submitted: SuggestionEvent = { type: 'SuggestionSubmitted', data: submittedData(false) };
const declaredSubmission: SuggestionEvent = { type: 'SuggestionSubmitted', data: submittedData(true) };
const assigned: SuggestionEvent = {
  type: 'SuggestionAssigned',
  data: { suggestionId, agency: '县交通运输局', assignedOn: '2024-02-01', deadline: '2024-05-01' },
};
const answered: SuggestionEvent = {
  type: 'SuggestionAnswered',
  data: { suggestionId, answeredOn: '2024-04-20', answer: '已在12处急弯增设护栏。', outcome: 'adopted' },
};
const rated: SuggestionEvent = { type: 'SuggestionRated', data: { suggestionId, ratedOn: '2024-04-25', rating: 'satisfied' } };
const withdrawn: SuggestionEvent = { type: 'SuggestionWithdrawn', data: { suggestionId, withdrawnOn: '2024-02-10', reason: '问题已解决' } };
const review = (type: ReviewEvent['type']): ReviewEvent =>
  type === 'RecordApproved' ? { type, data: { recordId } } : ({ type, data: { recordId, reason: '不实' } } as ReviewEvent);

const draft = (recorder = staff): SuggestionCommand => ({ type: 'DraftSuggestion', data: { ...draftData, recorder } });
const submit = (changes: Partial<Extract<SuggestionCommand, { type: 'SubmitSuggestion' }>['data']> = {}): SuggestionCommand => ({
  type: 'SubmitSuggestion',
  data: { suggestionId, recordId, submittedOn: '2024-01-15', coSigners: [coSigner], recorder: staff, ...changes },
});
const assign = (changes: Partial<{ assignedOn: string; deadline: string }> = {}): SuggestionCommand => ({
  type: 'AssignSuggestion',
  data: { suggestionId, agency: '县交通运输局', assignedOn: '2024-02-01', deadline: '2024-05-01', ...changes },
});
const answer = (answeredOn = '2024-04-20'): SuggestionCommand => ({
  type: 'AnswerSuggestion',
  data: { suggestionId, answeredOn, answer: '已在12处急弯增设护栏。', outcome: 'adopted' },
});
const rate = (recorder = lead, ratedOn = '2024-04-25'): SuggestionCommand => ({
  type: 'RateSuggestion',
  data: { suggestionId, ratedOn, rating: 'satisfied', recorder },
});
const withdraw = (withdrawnOn = '2024-02-10', recorder = staff): SuggestionCommand => ({
  type: 'WithdrawSuggestion',
  data: { suggestionId, withdrawnOn, reason: '问题已解决', recorder },
});

const suggestion = spec(suggestionDecider);
const given = (...history: SuggestionStreamEvent[]) => suggestion.given(history);

describe('when no suggestion exists', () => {
  it('drafts one entered by staff', () => {
    given().when(draft()).then([drafted]);
  });
  it('drafts one by the lead deputy themself', () => {
    given().when(draft(lead)).then([drafted]);
  });
  it('rejects a deputy drafting a suggestion led by someone else', () => {
    given().when(draft(otherDeputy)).thenRejects('not-own-act');
  });
  it('rejects every later step', () => {
    for (const command of [submit(), assign(), answer(), rate(), withdraw()]) given().when(command).thenRejects('suggestion-not-found');
  });
});

describe('when the suggestion is drafted', () => {
  it('rejects drafting it again', () => {
    given(drafted).when(draft()).thenRejects('suggestion-exists');
  });
  it('submits it as the lead deputy’s act, recorded by staff and approved', () => {
    given(drafted).when(submit()).then([submitted]);
  });
  it('submits it as a declaration when the lead deputy submits it', () => {
    given(drafted)
      .when(submit({ recorder: lead }))
      .then([declaredSubmission]);
  });
  it('accepts a suggestion without co-signers', () => {
    given(drafted)
      .when(submit({ coSigners: [] }))
      .then([{ type: 'SuggestionSubmitted', data: { ...submittedData(false), coSigners: [] } }]);
  });
  it('rejects a deputy submitting someone else’s suggestion', () => {
    given(drafted)
      .when(submit({ recorder: otherDeputy }))
      .thenRejects('not-own-act');
  });
  it('rejects a submission dated before the draft', () => {
    given(drafted)
      .when(submit({ submittedOn: '2024-01-09' }))
      .thenRejects('out-of-order-date');
  });
  it('rejects the lead deputy as a co-signer', () => {
    given(drafted)
      .when(submit({ coSigners: [coSigner, { personId: leadPersonId, mandateId: leadMandateId }] }))
      .thenRejects('lead-as-co-signer');
  });
  it('rejects a co-signer listed twice', () => {
    given(drafted)
      .when(submit({ coSigners: [coSigner, { ...coSigner }] }))
      .thenRejects('duplicate-co-signer');
  });
  it('rejects assignment, answer and rating before submission', () => {
    given(drafted).when(assign()).thenRejects('not-submitted');
    given(drafted).when(answer()).thenRejects('not-assigned');
    given(drafted).when(rate()).thenRejects('not-answered');
  });
  it('withdraws it', () => {
    given(drafted)
      .when(withdraw('2024-01-12'))
      .then([{ type: 'SuggestionWithdrawn', data: { ...withdrawn.data, withdrawnOn: '2024-01-12' } }]);
  });
  it('rejects a withdrawal dated before the draft', () => {
    given(drafted).when(withdraw('2024-01-01')).thenRejects('out-of-order-date');
  });
});

describe('when a motion is drafted', () => {
  it('rejects submitting it without a co-signer', () => {
    given(motionDrafted)
      .when(submit({ coSigners: [] }))
      .thenRejects('motion-needs-co-signers');
  });
  it('submits it with a co-signer as a motion act', () => {
    given(motionDrafted)
      .when(submit())
      .then([{ type: 'SuggestionSubmitted', data: { ...submittedData(false), act: 'motion' } }]);
  });
});

describe('when the suggestion is submitted by staff', () => {
  it('rejects submitting it again', () => {
    given(drafted, submitted)
      .when(submit({ recordId: randomUUID() }))
      .thenRejects('already-submitted');
  });
  it('assigns it to an agency with a deadline', () => {
    given(drafted, submitted).when(assign()).then([assigned]);
  });
  it('accepts a deadline on the assignment day', () => {
    given(drafted, submitted)
      .when(assign({ deadline: '2024-02-01' }))
      .then([{ type: 'SuggestionAssigned', data: { ...assigned.data, deadline: '2024-02-01' } }]);
  });
  it('rejects a deadline before the assignment', () => {
    given(drafted, submitted)
      .when(assign({ deadline: '2024-01-31' }))
      .thenRejects('deadline-before-assignment');
  });
  it('rejects an assignment dated before the submission', () => {
    given(drafted, submitted)
      .when(assign({ assignedOn: '2024-01-14' }))
      .thenRejects('out-of-order-date');
  });
  it('rejects an answer before assignment', () => {
    given(drafted, submitted).when(answer()).thenRejects('not-assigned');
  });
  it('rejects a withdrawal dated before the submission', () => {
    given(drafted, submitted).when(withdraw('2024-01-14')).thenRejects('out-of-order-date');
  });
  it('lets the lead deputy withdraw it', () => {
    given(drafted, submitted)
      .when(withdraw('2024-01-20', lead))
      .then([{ type: 'SuggestionWithdrawn', data: { ...withdrawn.data, withdrawnOn: '2024-01-20' } }]);
  });
  it('rejects another deputy withdrawing it', () => {
    given(drafted, submitted).when(withdraw('2024-01-20', otherDeputy)).thenRejects('not-own-act');
  });
});

describe('when the lead deputy’s declared submission awaits review', () => {
  it('rejects assigning it', () => {
    given(drafted, declaredSubmission).when(assign()).thenRejects('submission-pending');
  });
  it('assigns it once approved', () => {
    given(drafted, declaredSubmission, review('RecordApproved')).when(assign()).then([assigned]);
  });
});

describe('when the declared submission was rejected in review', () => {
  const history = [drafted, declaredSubmission, review('RecordRejected')];
  it('is back to drafted: assignment is refused', () => {
    given(...history)
      .when(assign())
      .thenRejects('not-submitted');
  });
  it('accepts a new submission under a new record id', () => {
    const again = randomUUID();
    given(...history)
      .when(submit({ recordId: again, recorder: lead }))
      .then([{ type: 'SuggestionSubmitted', data: submittedData(true, again) }]);
  });
  it('rejects a new submission reusing the old record id', () => {
    given(...history)
      .when(submit({ recorder: lead }))
      .thenRejects('record-exists');
  });
});

describe('when the suggestion is assigned', () => {
  const history = [drafted, submitted, assigned];
  it('rejects assigning it again', () => {
    given(...history)
      .when(assign())
      .thenRejects('already-assigned');
  });
  it('records the answer', () => {
    given(...history)
      .when(answer())
      .then([answered]);
  });
  it('accepts an answer after the deadline (lateness is read from the dates)', () => {
    given(...history)
      .when(answer('2024-06-01'))
      .then([{ type: 'SuggestionAnswered', data: { ...answered.data, answeredOn: '2024-06-01' } }]);
  });
  it('rejects an answer dated before the assignment', () => {
    given(...history)
      .when(answer('2024-01-31'))
      .thenRejects('out-of-order-date');
  });
  it('rejects a rating before the answer', () => {
    given(...history)
      .when(rate())
      .thenRejects('not-answered');
  });
  it('withdraws it', () => {
    given(...history)
      .when(withdraw())
      .then([withdrawn]);
  });
  it('rejects a withdrawal dated before the assignment', () => {
    given(...history)
      .when(withdraw('2024-01-20'))
      .thenRejects('out-of-order-date');
  });
});

describe('when the suggestion is answered', () => {
  const history = [drafted, submitted, assigned, answered];
  it('rejects answering it again', () => {
    given(...history)
      .when(answer())
      .thenRejects('already-answered');
  });
  it('records the lead deputy’s rating', () => {
    given(...history)
      .when(rate(lead))
      .then([rated]);
  });
  it('records a rating staff enter on the lead deputy’s behalf', () => {
    given(...history)
      .when(rate(staff))
      .then([rated]);
  });
  it('rejects a rating by another deputy', () => {
    given(...history)
      .when(rate(otherDeputy))
      .thenRejects('not-lead-deputy');
  });
  it('rejects a rating dated before the answer', () => {
    given(...history)
      .when(rate(lead, '2024-04-19'))
      .thenRejects('out-of-order-date');
  });
  it('rejects a withdrawal', () => {
    given(...history)
      .when(withdraw('2024-04-21'))
      .thenRejects('already-answered');
  });
});

describe('when the answer is rated', () => {
  it('rejects a second rating', () => {
    given(drafted, submitted, assigned, answered, rated).when(rate()).thenRejects('already-rated');
  });
});

describe('when the suggestion is withdrawn', () => {
  it('rejects every further step', () => {
    for (const command of [submit(), assign(), answer(), rate(), withdraw()]) {
      given(drafted, submitted, assigned, withdrawn).when(command).thenRejects('suggestion-withdrawn');
    }
  });
});
