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

/** Input that fails the command's schema: a list of field problems. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(readonly issues: { field: string; message: string }[]) {
    super(
      'invalid-input',
      {
        zh: `输入有误：${issues.map((issue) => `${issue.field} ${issue.message}`).join('；')}`,
        en: `Invalid input: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
      },
      issues[0]?.field ?? null,
    );
  }
}
