/**
 * The API's errors, in one place. A command refused answers a typed `Rejection` (a `DomainError`,
 * schema/errors.ts); a request refused — not signed in, a role that may not read a field, an
 * argument out of range, a limit, the database away — is a GraphQL error made here, whose
 * `extensions.code` is from the same closed, kebab-case list (`ERROR_CODES`, the domain's
 * kernel/errors.ts), with the reason in English and Chinese (`messageEn`, `messageZh`).
 */
import type { ErrorCode } from '@yingpan/domain';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

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
