/**
 * Authenticator apps (TOTP, RFC 6238 through `otplib`): a base32 secret shared once with the app
 * (a QR code of an `otpauth://` address), then a 6-digit code every 30 seconds.
 *
 * Codes follow the world's clock, not the county's (`YINGPAN_TODAY` and the tests' clock move the
 * county's day; a phone's authenticator does not know of them): this is the one place that reads
 * the wall clock on purpose. One step either side is accepted (a phone's clock drifts), and a step
 * once accepted is never accepted again (a code seen over a shoulder cannot be replayed).
 */
import { generateSecret, generateURI, verify } from 'otplib';

/** Administrators and auditors must sign in with an authenticator's code (等级保护: two factors for administrators). */
export const TOTP_REQUIRED_ROLES: readonly string[] = ['admin', 'auditor'];

/** The name the authenticator app shows above the code. */
export const TOTP_ISSUER = '营盘';

/** Steps of 30 s accepted before and after the present one. */
const TOLERANCE_SECONDS = 30;

export const newTotpSecret = (): string => generateSecret();

/** The address a QR code carries for an authenticator app: `otpauth://totp/营盘:<user name>?secret=…`. */
export const totpUri = (username: string, secret: string): string => generateURI({ issuer: TOTP_ISSUER, label: username, secret });

/** A code as typed: digits only (spaces and dashes some apps show are dropped). */
export const normaliseCode = (code: string): string => code.replace(/[\s-]/g, '');

/**
 * The 30-second step `code` belongs to, when it is the secret's code now (or one step either side)
 * and later than `afterTimeStep`; null otherwise.
 */
export async function checkTotp(secret: string, code: string, afterTimeStep: number | null): Promise<number | null> {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({
      secret,
      token,
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterTimeStep === null ? {} : { afterTimeStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
