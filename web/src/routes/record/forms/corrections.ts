import type { FormSpec } from '$lib/forms/engine';
import { STAFF } from './fields';

/**
 * 更正、撤销: the page finds the record (a person, a seat, the record) and corrects or retracts it
 * on its row ($lib/records/RecordActions.svelte), as a person's history and a station book do; this
 * description only gives it a place in the menu (it has no fields of its own).
 */
export const correctRecord: FormSpec = {
  id: 'correct-record',
  title: { zh: '更正或撤销记录', en: 'Correct or retract a record' },
  description: {
    zh: '找到有误的记录，在该记录上更正（修改有误的内容）或撤销（误登），都须写明理由；原记录仍保留在日志中。',
    en: 'Find the wrong record and correct or retract it there, with a reason; the original stays in the log.',
  },
  roles: STAFF,
  fields: [],
  plan: () => [],
  confirm: () => ({ zh: '', en: '' }),
};
