import { fieldWords, messageZh } from './wording.ts';

/**
 * A command refused for a business reason. It carries a stable code, the field it concerns (if
 * any) and a message in Chinese and English, and nothing is appended when it is thrown.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: string,
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
