/** Review (申报 → 审核) and correction of records, on whatever stream holds them. */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command, Event } from '../kernel/messages.ts';
import type { ReviewEvent } from './events.ts';
import { noRecords, type Records, trackRecords } from './records.ts';

export type ReviewCommand =
  | Command<'ApproveRecord', { recordId: string }>
  | Command<'RejectRecord', { recordId: string; reason: string }>
  | Command<'CorrectRecord', { recordId: string; reason: string; corrected: Record<string, unknown> }>
  | Command<'RetractRecord', { recordId: string; reason: string }>;

const notFound = () => new DomainError('record-not-found', { zh: '找不到该记录', en: 'No such record' }, 'recordId');

export const reviewDecider: Decider<ReviewCommand, ReviewEvent, Records> = {
  category: '*',
  initialState: () => noRecords,
  decide(command, records) {
    const record = records.get(command.data.recordId);
    if (!record) throw notFound();
    switch (command.type) {
      case 'ApproveRecord':
      case 'RejectRecord':
        if (record.status !== 'pending') {
          throw new DomainError('not-pending', { zh: '该记录不在待审核状态', en: 'This record is not awaiting review' }, 'recordId');
        }
        return command.type === 'ApproveRecord' ? [{ type: 'RecordApproved', data: command.data }] : [{ type: 'RecordRejected', data: command.data }];
      case 'CorrectRecord':
        if (record.status === 'retracted' || record.status === 'rejected') {
          throw new DomainError(
            'record-void',
            { zh: '已撤销或未通过审核的记录不能更正', en: 'A retracted or rejected record cannot be corrected' },
            'recordId',
          );
        }
        if (command.data.corrected.recordId !== record.recordId || command.data.corrected.declared !== record.data.declared) {
          throw new DomainError(
            'correction-changes-identity',
            {
              zh: '更正不能改变记录编号或申报方式',
              en: 'A correction cannot change the record id or how it was entered',
            },
            'corrected',
          );
        }
        return [{ type: 'RecordCorrected', data: command.data }];
      case 'RetractRecord':
        if (record.status === 'retracted') {
          throw new DomainError('already-retracted', { zh: '该记录已撤销', en: 'This record is already retracted' }, 'recordId');
        }
        return [{ type: 'RecordRetracted', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve: (records, event) => trackRecords(records, event as Event),
};
