/**
 * A request refused by a limit (graphql-armor: cost, depth, aliases, directives) says so in whole
 * Chinese, with the figure found and the limit, and what to do — not "Syntax Error: …", which is
 * how the library words it. The English is kept in `messageEn`; `code` tells a client which limit.
 */
import type { GraphQLError } from 'graphql';
import { type ErrorCode, requestError } from './errors.ts';

const LIMITS: readonly { pattern: RegExp; code: ErrorCode; zh: (limit: string, found: string) => string; en: (limit: string, found: string) => string }[] = [
  {
    pattern: /Query Cost limit of (\d+) exceeded, found (\d+)/,
    code: 'query-too-costly',
    zh: (limit, found) => `查询的代价超过上限：本次约 ${found}，上限 ${limit}。请减少一次请求的字段、层级或每页条数后再试`,
    en: (limit, found) => `The query costs about ${found}, over the limit of ${limit}: ask for fewer fields, levels or rows a page`,
  },
  {
    pattern: /Query depth limit of (\d+) exceeded, found (\d+)/,
    code: 'query-too-deep',
    zh: (limit, found) => `查询的嵌套层级超过上限：本次 ${found} 层，上限 ${limit} 层。请减少嵌套后再试`,
    en: (limit, found) => `The query is ${found} levels deep, over the limit of ${limit}`,
  },
  {
    pattern: /Aliases limit of (\d+) exceeded, found (\d+)/,
    code: 'too-many-aliases',
    zh: (limit, found) => `查询的别名超过上限：本次 ${found} 个，上限 ${limit} 个。请分几次请求`,
    en: (limit, found) => `The query has ${found} aliases, over the limit of ${limit}`,
  },
  {
    pattern: /Directives limit of (\d+) exceeded, found (\d+)/,
    code: 'too-many-directives',
    zh: (limit, found) => `查询的指令超过上限：本次 ${found} 个，上限 ${limit} 个`,
    en: (limit, found) => `The query has ${found} directives, over the limit of ${limit}`,
  },
];

/** The refusal of a limit in words (an error that is not one of them is returned as it is). */
export function limitRefusal(error: GraphQLError): GraphQLError {
  for (const limit of LIMITS) {
    const match = limit.pattern.exec(error.message);
    if (!match) continue;
    const [, max, found] = match as unknown as [string, string, string];
    return requestError(limit.code, { zh: limit.zh(max, found), en: limit.en(max, found) }, { message: 'zh' });
  }
  return error;
}
