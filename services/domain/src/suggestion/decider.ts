/**
 * Suggestions (建议) and motions (议案): drafted → submitted (the act that counts) → assigned to an
 * agency (交办) → answered (答复) → rated by the lead deputy (评价). Each step happens once, in that
 * order, on dates that never go backwards; before the answer the suggestion may be withdrawn
 * (撤回), after which nothing more happens to it. A submission rejected in review or retracted
 * does not stand: the suggestion is back to drafted and may be submitted again.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError, type ErrorCode } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import { assertOwnAct, type Recorder } from '../kernel/recording.ts';
import { isReviewEvent, type ReviewEvent } from '../review/events.ts';
import { assertNewRecord, noRecords, type Records, stands, trackRecords } from '../review/records.ts';
import { MOTION_MIN_CO_SIGNERS, type CoSigner, type SuggestionEvent, type SuggestionKind, type SuggestionOutcome, type SuggestionRating } from './events.ts';

export const suggestionStream = (suggestionId: string) => `suggestion:${suggestionId}`;

export type SuggestionCommand =
  | Command<
      'DraftSuggestion',
      {
        suggestionId: string;
        kind: SuggestionKind;
        title: string;
        content: string;
        leadPersonId: string;
        leadMandateId: string;
        draftedOn: string;
        recorder: Recorder;
      }
    >
  | Command<'SubmitSuggestion', { suggestionId: string; recordId: string; submittedOn: string; coSigners: CoSigner[]; recorder: Recorder }>
  | Command<'AssignSuggestion', { suggestionId: string; agency: string; assignedOn: string; deadline: string }>
  | Command<'AnswerSuggestion', { suggestionId: string; answeredOn: string; answer: string; outcome: SuggestionOutcome }>
  | Command<'RateSuggestion', { suggestionId: string; ratedOn: string; rating: SuggestionRating; recorder: Recorder }>
  | Command<'WithdrawSuggestion', { suggestionId: string; withdrawnOn: string; reason: string; recorder: Recorder }>;

/** Review events (approval, correction …) of the submission land on the suggestion's stream. */
export type SuggestionStreamEvent = SuggestionEvent | ReviewEvent;

export interface SuggestionFile {
  suggestionId: string;
  kind: SuggestionKind;
  leadPersonId: string;
  leadMandateId: string;
  draftedOn: string;
  /** The latest submission's record id (its date and review status are in `records`). */
  submissionRecordId: string | null;
  assignment: { agency: string; assignedOn: string; deadline: string } | null;
  answer: { answeredOn: string; outcome: SuggestionOutcome } | null;
  rating: { ratedOn: string; rating: SuggestionRating } | null;
  withdrawnOn: string | null;
}

export interface SuggestionState {
  file: SuggestionFile | null;
  records: Records;
}

export type SuggestionStage = 'none' | 'drafted' | 'submitted' | 'assigned' | 'answered' | 'rated' | 'withdrawn';

const submission = (state: SuggestionState) => (state.file?.submissionRecordId ? state.records.get(state.file.submissionRecordId) : undefined);

/** Where the suggestion stands; a submission that was rejected or retracted before assignment leaves it drafted. */
export function suggestionStage(state: SuggestionState): SuggestionStage {
  const { file } = state;
  if (!file) return 'none';
  if (file.withdrawnOn) return 'withdrawn';
  if (file.rating) return 'rated';
  if (file.answer) return 'answered';
  if (file.assignment) return 'assigned';
  const record = submission(state);
  return record && stands(record) ? 'submitted' : 'drafted';
}

const submittedOn = (state: SuggestionState) => submission(state)?.data.date as string;

function assertNotBefore(date: string, earlier: string, field: string, step: { zh: string; en: string }) {
  if (date < earlier) {
    throw new DomainError(
      'out-of-order-date',
      { zh: `日期 ${date} 早于${step.zh}日期 ${earlier}`, en: `${date} is before the ${step.en} (${earlier})` },
      field,
    );
  }
}

const error = (code: ErrorCode, zh: string, en: string, field: string | null = 'suggestionId') => new DomainError(code, { zh, en }, field);

function checkCoSigners(kind: SuggestionKind, leadPersonId: string, coSigners: CoSigner[]) {
  if (coSigners.some((coSigner) => coSigner.personId === leadPersonId)) {
    throw error('lead-as-co-signer', '领衔代表不能同时作为附议代表', 'The lead deputy cannot also co-sign', 'coSigners');
  }
  if (new Set(coSigners.map((coSigner) => coSigner.personId)).size !== coSigners.length) {
    throw error('duplicate-co-signer', '附议代表重复', 'A co-signer is listed twice', 'coSigners');
  }
  if (kind === 'motion' && coSigners.length < MOTION_MIN_CO_SIGNERS) {
    throw error(
      'motion-needs-co-signers',
      `议案至少需要 ${MOTION_MIN_CO_SIGNERS} 名代表附议`,
      `A motion needs at least ${MOTION_MIN_CO_SIGNERS} co-signing deputy`,
      'coSigners',
    );
  }
}

export const suggestionDecider: Decider<SuggestionCommand, SuggestionStreamEvent, SuggestionState> = {
  category: 'suggestion',
  initialState: () => ({ file: null, records: noRecords }),

  decide(command, state) {
    const { file } = state;
    if (command.type === 'DraftSuggestion') {
      if (file) throw error('suggestion-exists', '该建议已经登记过', 'This suggestion already exists');
      const { recorder, ...data } = command.data;
      assertOwnAct(recorder, data.leadPersonId, 'leadPersonId');
      return [{ type: 'SuggestionDrafted', data }];
    }
    if (!file) throw error('suggestion-not-found', '找不到该建议', 'No such suggestion');
    const stage = suggestionStage(state);
    if (stage === 'withdrawn') throw error('suggestion-withdrawn', '该建议已经撤回，不能再办理', 'This suggestion was withdrawn');

    switch (command.type) {
      case 'SubmitSuggestion': {
        const { recorder, recordId, submittedOn: date, coSigners, suggestionId } = command.data;
        if (stage !== 'drafted') throw error('already-submitted', '该建议已经提交', 'This suggestion has already been submitted');
        assertOwnAct(recorder, file.leadPersonId, 'suggestionId');
        assertNewRecord(state.records, recordId);
        assertNotBefore(date, file.draftedOn, 'submittedOn', { zh: '起草', en: 'drafting' });
        checkCoSigners(file.kind, file.leadPersonId, coSigners);
        return [
          {
            type: 'SuggestionSubmitted',
            data: {
              recordId,
              act: file.kind,
              personId: file.leadPersonId,
              mandateId: file.leadMandateId,
              date,
              declared: recorder.declared,
              suggestionId,
              coSigners,
            },
          },
        ];
      }
      case 'AssignSuggestion': {
        if (stage === 'drafted') throw error('not-submitted', '该建议尚未提交，不能交办', 'The suggestion has not been submitted');
        if (stage !== 'submitted') throw error('already-assigned', '该建议已经交办', 'The suggestion has already been assigned');
        if (submission(state)?.status !== 'approved') {
          throw error(
            'submission-pending',
            '代表申报的提交尚未审核通过，请先审核再交办',
            'The deputy’s declared submission must be approved before it is assigned',
          );
        }
        const { assignedOn, deadline } = command.data;
        assertNotBefore(assignedOn, submittedOn(state), 'assignedOn', { zh: '提交', en: 'submission' });
        if (deadline < assignedOn) {
          throw error('deadline-before-assignment', '办理时限不能早于交办日期', 'The deadline cannot be before the assignment', 'deadline');
        }
        return [{ type: 'SuggestionAssigned', data: command.data }];
      }
      case 'AnswerSuggestion':
        if (stage === 'drafted' || stage === 'submitted') throw error('not-assigned', '该建议尚未交办，不能答复', 'The suggestion has not been assigned');
        if (!file.assignment || stage !== 'assigned') throw error('already-answered', '该建议已经答复', 'The suggestion has already been answered');
        assertNotBefore(command.data.answeredOn, file.assignment.assignedOn, 'answeredOn', { zh: '交办', en: 'assignment' });
        return [{ type: 'SuggestionAnswered', data: command.data }];
      case 'RateSuggestion': {
        const { recorder, ...data } = command.data;
        if (stage === 'rated') throw error('already-rated', '该建议的答复已经评价过', 'The answer has already been rated');
        if (!file.answer) throw error('not-answered', '该建议尚未答复，不能评价', 'The suggestion has not been answered');
        if (recorder.declared && recorder.personId !== file.leadPersonId) {
          throw error('not-lead-deputy', '只有领衔代表（或工作人员代为）可以评价答复', 'Only the lead deputy (or staff on their behalf) can rate the answer');
        }
        assertNotBefore(data.ratedOn, file.answer.answeredOn, 'ratedOn', { zh: '答复', en: 'answer' });
        return [{ type: 'SuggestionRated', data }];
      }
      case 'WithdrawSuggestion': {
        const { recorder, ...data } = command.data;
        if (stage === 'answered' || stage === 'rated')
          throw error('already-answered', '该建议已经答复，不能撤回', 'An answered suggestion cannot be withdrawn');
        assertOwnAct(recorder, file.leadPersonId, 'suggestionId');
        const latest = file.assignment?.assignedOn ?? (stage === 'submitted' ? submittedOn(state) : file.draftedOn);
        assertNotBefore(data.withdrawnOn, latest, 'withdrawnOn', { zh: '上一环节', en: 'previous step' });
        return [{ type: 'SuggestionWithdrawn', data }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (isReviewEvent(event)) return { ...state, records: trackRecords(state.records, event) };
    const { file } = state;
    switch (event.type) {
      case 'SuggestionDrafted':
        return {
          ...state,
          file: { ...event.data, submissionRecordId: null, assignment: null, answer: null, rating: null, withdrawnOn: null },
        };
      case 'SuggestionSubmitted':
        return { file: file && { ...file, submissionRecordId: event.data.recordId }, records: trackRecords(state.records, event) };
      case 'SuggestionAssigned':
        return { ...state, file: file && { ...file, assignment: event.data } };
      case 'SuggestionAnswered':
        return { ...state, file: file && { ...file, answer: event.data } };
      case 'SuggestionRated':
        return { ...state, file: file && { ...file, rating: event.data } };
      case 'SuggestionWithdrawn':
        return { ...state, file: file && { ...file, withdrawnOn: event.data.withdrawnOn } };
      default:
        return assertNever(event);
    }
  },
};
