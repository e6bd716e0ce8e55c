/**
 * Who could read a voter's personal data (name, phone, address, words) in one opinion on a given
 * day: the accounts whose grants held that day make them readers under the API's read policy
 * (access.ts, `voterReadersOn`). For auditors and administrators, as the log is; it names accounts
 * and their grants, never the voter.
 */
import { countyToday, ROLE_LABELS, type Role } from '@yingpan/domain';
import { opinionPlace } from '@yingpan/projections';
import { type VoterReader, voterReadersOn } from '../access.ts';
import { Account, Grant } from './accounts.ts';
import { builder } from './builder.ts';
import { dateArg, uuidArg } from './common.ts';
import { requestError } from '../errors.ts';

/** Why the policy lets a role read the voter, in the words an auditor reads. */
const REASONS: Partial<Record<Role, string>> = {
  deputy: '接收该意见的代表本人',
  'station-manager': '该意见所在家站的负责人',
  staff: '办理意见的机关工作人员',
  auditor: '审计人员',
};

const VoterReaderType = builder.objectRef<VoterReader>('VoterReader').implement({
  description: 'An account that could read the voter behind an opinion on the day asked, and why.',
  fields: (t) => ({
    account: t.field({ type: Account, resolve: (reader) => reader.account }),
    roleLabelZh: t.string({ description: 'The role it acted in that day (its most capable grant’s).', resolve: (reader) => ROLE_LABELS[reader.role].zh }),
    reasonZh: t.string({
      description: 'Why the read policy lets that role see the voter.',
      resolve: (reader) => REASONS[reader.role] ?? ROLE_LABELS[reader.role].zh,
    }),
    grants: t.field({ type: [Grant], description: 'The grants holding that day.', resolve: (reader) => reader.grants }),
  }),
});

builder.queryFields((t) => ({
  voterReaders: t.field({
    authScopes: { auditLog: true },
    type: [VoterReaderType],
    description:
      'The accounts that could read the personal data of the voter behind an opinion on a day (default: today), by the grants that held that day ' +
      'and the same read policy the books and the log follow. Service tokens are not accounts and are not listed.',
    args: {
      opinionId: t.arg.id({ required: true, description: 'The opinion.' }),
      on: t.arg({ type: 'Date', description: 'The day (YYYY-MM-DD); omitted: today.' }),
    },
    async resolve(_, args, { db }) {
      const opinionId = uuidArg(args.opinionId, 'opinionId');
      const day = dateArg(args.on, 'on') ?? countyToday();
      const opinion = await opinionPlace(db, opinionId);
      if (!opinion) throw requestError('not-found', { en: 'No such opinion', zh: '找不到这条意见' }, { field: 'opinionId' });
      return voterReadersOn(db, opinion, day);
    },
  }),
}));
