import { DomainError } from '@yingpan/domain';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Something the caller should be told about.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(DomainError, {
  name: 'Rejection',
  description: 'A command refused for a business reason or invalid input. Nothing was recorded.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        'Stable machine-readable reason in kebab-case, e.g. "already-attended" or "forbidden": one of a closed list, the same codes a refused request carries as `extensions.code`.',
    }),
    field: t.exposeString('field', { nullable: true, description: 'The input field the rejection concerns, if any.' }),
    messageZh: t.string({ description: '中文说明', resolve: (error) => error.messages.zh }),
    messageEn: t.string({ description: 'English explanation', resolve: (error) => error.messages.en }),
  }),
});
