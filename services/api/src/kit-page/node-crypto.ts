/**
 * What the kit page needs of `node:crypto`, for the browser: SHA-256 (@noble/hashes) and Ed25519
 * signature checks (@noble/curves), so that the log's own hashing, Merkle and signed-note code runs
 * unchanged in the page. Signing and key generation stay on the server: here they refuse.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

class Sha256 {
  private readonly hash = sha256.create();
  update(data: string | Uint8Array): this {
    this.hash.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    return this;
  }
  digest(): Buffer;
  digest(encoding: 'hex' | 'base64'): string;
  digest(encoding?: 'hex' | 'base64'): Buffer | string {
    const bytes = Buffer.from(this.hash.digest());
    return encoding ? bytes.toString(encoding) : bytes;
  }
}

export function createHash(algorithm: string): Sha256 {
  if (algorithm !== 'sha256') throw new Error(`only sha256 is available here, not ${algorithm}`);
  return new Sha256();
}

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface PublicKey {
  raw: Uint8Array;
  export(): Buffer;
}

export function createPublicKey(input: { key: Uint8Array }): PublicKey {
  const der = Buffer.from(input.key);
  if (der.length !== SPKI_PREFIX.length + 32 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) throw new Error('not an Ed25519 public key');
  const raw = der.subarray(SPKI_PREFIX.length);
  return { raw, export: () => der };
}

export function verify(_algorithm: null, message: Uint8Array, key: PublicKey, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, key.raw, { zip215: false });
  } catch {
    return false;
  }
}

const serverOnly = () => {
  throw new Error('signing is done by the log’s server, not in the kit page');
};
export const createPrivateKey = serverOnly;
export const generateKeyPairSync = serverOnly;
export const sign = serverOnly;
export type KeyObject = PublicKey;
