import { fieldWords, messageZh } from './wording.ts';

/**
 * Every code the system answers with, in one casing (kebab-case): a `Rejection`'s `code` when a
 * command is refused, and `extensions.code` of a GraphQL error when a request is. The list is
 * closed: `DomainError` and the API's request errors (services/api/src/errors.ts) take only these,
 * so a client can branch on a code without meeting one it has never seen. GraphQL's and the server
 * library's own errors are said in these words too (`invalid-query`, `bad-request`, `internal-error`:
 * `oneErrorVocabulary` in services/api/src/errors.ts).
 */
export const REQUEST_ERROR_CODES = [
  // Who is asking.
  'unauthenticated',
  'forbidden',
  'totp-enrolment-required',
  // What was asked: a document that is not GraphQL or does not match the schema, then its values.
  'invalid-query',
  'invalid-input',
  'invalid-arguments',
  'invalid-cursor',
  'invalid-first',
  'invalid-digest',
  'not-found',
  // The request's limits.
  'request-too-large',
  'query-too-costly',
  'query-too-deep',
  'too-many-aliases',
  'too-many-directives',
  // The web server's own: a request from another site, one without what it needs, the API out of reach.
  'forbidden-origin',
  'bad-request',
  'missing-token',
  'api-unreachable',
  // An evidence file refused (services/files): too large, empty, of a type not kept, unreadable.
  'too-large',
  'empty',
  'unsupported-type',
  'heic',
  'unreadable-image',
  'too-many-pixels',
  // The server's state: an unexpected failure (its cause in the server's log only), the database away
  // for a moment (retryable), a log store that cannot serve this.
  'internal-error',
  'database-unavailable',
  'log-not-browsable',
  'no-merkle-tree',
  // The transparency log's refusals (proofs and checkpoints).
  'past-the-tree',
  'invalid-range',
  'rewritten',
  'missing-node',
] as const;

/** Why a command was refused (a `Rejection`'s code), besides the request codes it may share ("forbidden", "invalid-input", "not-found"). */
export const REJECTION_CODES = [
  'account-acts-as-person',
  'account-not-found',
  'account-not-linked',
  'activity-after-end',
  'activity-cancelled',
  'activity-exists',
  'activity-not-found',
  'acts-after-end',
  'already-acknowledged',
  'already-answered',
  'already-assigned',
  'already-attended',
  'already-cancelled',
  'already-manager',
  'already-rated',
  'already-recorded',
  'already-referred',
  'already-retracted',
  'already-submitted',
  'already-visited',
  'attendance-deputies-only',
  'before-establishment',
  'before-pairing-start',
  'before-term',
  'concurrent-change',
  'correction-changes-identity',
  'date-too-early',
  'deadline-before-assignment',
  'deadline-too-early',
  'duplicate-co-signer',
  'duplicate-deputy',
  'duplicate-forms',
  'duplicate-mentee',
  'effective-date-order',
  'end-before-start',
  'evidence-exists',
  'evidence-subject-not-found',
  'forms-without-kind',
  'future-date',
  'grant-not-found',
  'grant-revoked',
  'handover-date',
  'identity-not-linked',
  'identity-taken',
  'invalid-correction',
  'invalid-day',
  'is-a-training',
  'lead-as-co-signer',
  'level-mismatch',
  'mandate-ended',
  'mandate-exists',
  'mandate-kind',
  'mandate-not-found',
  'mandate-not-valid',
  'mandate-of-other-person',
  'mentee-not-deputy',
  'mentee-not-involved',
  'mentee-public-servant',
  'mentor-not-committee-member',
  'mentor-not-public-servant-deputy',
  'motion-needs-co-signers',
  'no-account',
  'no-deputy',
  'no-mentees',
  'no-votes',
  'nobody-recorded',
  'not-a-mentee',
  'not-a-training',
  'not-answered',
  'not-assigned',
  'not-at-reception',
  'not-closed',
  'not-dissatisfied',
  'not-in-charge',
  'not-in-pairing',
  'not-inheritor',
  'not-lead-deputy',
  'not-manager',
  'not-own-account',
  'not-own-act',
  'not-own-item',
  'not-pending',
  'not-submitted',
  'not-your-record',
  'opinion-closed',
  'opinion-exists',
  'opinion-not-found',
  'out-of-order-date',
  'own-account',
  'pairing-ended',
  'pairing-exists',
  'pairing-not-found',
  'passkey-challenge',
  'passkey-limit',
  'passkey-name',
  'passkey-name-taken',
  'passkey-not-found',
  'passkey-not-verified',
  'passkey-registered',
  'person-exists',
  'person-not-found',
  'rated-before-report',
  'reception-exists',
  'reception-not-found',
  'record-exists',
  'record-not-found',
  'record-void',
  'regulation-exists',
  'regulation-not-found',
  'regulation-repealed',
  'report-exists',
  'report-not-found',
  'report-year',
  'same-mentor',
  'scope-not-for-role',
  'scoring-rules-not-allowed',
  'scoring-rules-required',
  'self-mentoring',
  'setup-code-invalid',
  'setup-done',
  'sso-not-configured',
  'station-closed',
  'station-exists',
  'station-not-found',
  'submission-pending',
  'suggestion-exists',
  'suggestion-not-found',
  'suggestion-withdrawn',
  'term-closed',
  'term-dates',
  'term-exists',
  'term-not-closed',
  'term-not-found',
  'term-not-open',
  'time-order',
  'too-far-ahead',
  'too-much-evidence',
  'totp-enrolled',
  'totp-not-begun',
  'totp-not-enrolled',
  'totp-wrong-code',
  'township-required',
  'unfoldable-event',
  'unknown-stream-category',
  'until-before-from',
  'username-taken',
  'weak-password',
  'wrong-password',
] as const;

/** The closed list of codes. */
export const ERROR_CODES: readonly ErrorCode[] = [...new Set([...REQUEST_ERROR_CODES, ...REJECTION_CODES])];
export type ErrorCode = (typeof REQUEST_ERROR_CODES)[number] | (typeof REJECTION_CODES)[number];

/** Is `code` one of the closed list? */
export const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/**
 * A command refused for a business reason. It carries a stable code, the field it concerns (if
 * any) and a message in Chinese and English, and nothing is appended when it is thrown.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    readonly messages: { zh: string; en: string },
    readonly field: string | null = null,
  ) {
    super(messages.en);
  }
}

/** One problem with an input field: its path, the problem in English, and in Chinese when known. */
export interface InputIssue {
  field: string;
  message: string;
  /** The problem in Chinese, without the field (else worked out from `message`). */
  zh?: string;
}

/**
 * Input that fails the command's schema: a list of field problems. The Chinese message names each
 * field in words and says what is wrong in Chinese (wording.ts); the English keeps the paths.
 */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly issues: InputIssue[]) {
    super(
      'invalid-input',
      {
        zh: `${issues.map((issue) => `${fieldWords(issue.field)}${issue.zh ?? messageZh(issue.message)}`).join('；')}`,
        en: `Invalid input: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
      },
      issues[0]?.field ?? null,
    );
  }
}
