/**
 * The API's errors, in one place. A command refused answers a typed `Rejection` (a `DomainError`,
 * schema/errors.ts); a request refused — not signed in, a role that may not read a field, an
 * argument out of range, a limit, the database away — is a GraphQL error made here, whose
 * `extensions.code` is from the same closed, kebab-case list (`ERROR_CODES`, the domain's
 * kernel/errors.ts), with the reason in English and Chinese (`messageEn`, `messageZh`).
 */
import type { ErrorCode } from '@yingpan/domain';
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export { ERROR_CODES, isErrorCode, type ErrorCode } from '@yingpan/domain';

export interface RequestErrorOptions {
  /** The input field or argument it concerns. */
  field?: string | null;
  /** The HTTP status to answer with when this is the request's only error (e.g. 401). */
  status?: number;
  /** The same request may be sent again (e.g. the database was away for a moment). */
  retryable?: boolean;
  /** Which language the error's `message` is in (English unless said). */
  message?: 'en' | 'zh';
}

/**
 * A request refused: shown to the caller (not masked), its code one of the closed list. Made with
 * graphql-yoga's createGraphQLError, which builds it from the copy of `graphql` Yoga checks errors
 * against (under Vitest a file's own `import 'graphql'` can load a second copy, which Yoga masks).
 */
export function requestError(code: ErrorCode, words: { en: string; zh: string }, options: RequestErrorOptions = {}): GraphQLError {
  return createGraphQLError(options.message === 'zh' ? words.zh : words.en, {
    extensions: {
      code,
      messageEn: words.en,
      messageZh: words.zh,
      ...(options.field !== undefined ? { field: options.field } : {}),
      ...(options.retryable ? { retryable: true } : {}),
      ...(options.status ? { http: { status: options.status } } : {}),
    },
  });
}

/**
 * The codes GraphQL and Yoga give their own errors, in the closed list's words: a document that does
 * not parse or does not match the schema is `invalid-query`, a request Yoga cannot read `bad-request`,
 * an unexpected failure (masked: its cause goes to the server's log only) `internal-error`.
 */
const LIBRARY_CODES: Record<string, { code: ErrorCode; zh: string; detail: boolean }> = {
  GRAPHQL_PARSE_FAILED: { code: 'invalid-query', zh: '查询语句不合 GraphQL 语法', detail: true },
  GRAPHQL_VALIDATION_FAILED: { code: 'invalid-query', zh: '查询与接口的定义不符', detail: true },
  BAD_REQUEST: { code: 'bad-request', zh: '请求无法读取', detail: true },
  INTERNAL_SERVER_ERROR: { code: 'internal-error', zh: '服务器出错，请稍后重试', detail: false },
};

/** `error` with its library code said as the closed list says it (the same error when it has none). */
function inListWords(error: GraphQLError): GraphQLError {
  const known = LIBRARY_CODES[String(error.extensions?.code)];
  if (!known) return error;
  return createGraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: known.code, messageEn: error.message, messageZh: known.detail ? `${known.zh}（${error.message}）` : known.zh },
  });
}

/**
 * Every answer's errors carry codes of the one list (`ERROR_CODES`): the library's own are said in its
 * words as the answer is written (the HTTP status they chose stays). A subscription's stream keeps them.
 */
export const oneErrorVocabulary: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.some((error) => String(error.extensions?.code) in LIBRARY_CODES)) return;
    setResult({ ...result, errors: result.errors.map(inListWords) });
  },
};
