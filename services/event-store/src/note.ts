/**
 * Signed checkpoints: the C2SP signed-note and tlog-checkpoint formats, with Ed25519 keys
 * (Node's own crypto).
 *
 * A checkpoint is the note
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n
 *     \n
 *     — <key name> <base64(4-byte key id ‖ 64-byte Ed25519 signature over the body)>\n
 *
 * where the key id is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key).
 * Keys are written as the Go note package writes them:
 * - a verifier key `<name>+<hex key id>+<base64(0x01 ‖ public key)>` (what is published);
 * - a signer key `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>` (the key file).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const DASH = '\u2014';

/** `text` split at its first `count` plus signs (the base64 key after them may hold "+" itself). */
function splitKey(text: string, count: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  for (let i = 0; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return [...parts, rest];
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

/** A checkpoint or note that fails a check: `reason` names what failed. */
export class NoteError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NoteError';
  }
}

export interface NoteKey {
  name: string;
  /** The 4-byte key id. */
  keyId: Buffer;
  /** The 32-byte Ed25519 public key. */
  publicKey: Buffer;
}

export interface NoteSigner extends NoteKey {
  sign(message: Uint8Array): Buffer;
}

export interface NoteVerifier extends NoteKey {
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

function checkName(name: string): string {
  if (name.length === 0 || /[\s+]/u.test(name)) throw new NoteError(`a key name must be non-empty, without spaces or "+": ${JSON.stringify(name)}`);
  return name;
}

/** The signed-note key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0:4]. */
export function keyIdOf(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

const rawPublicKey = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);

/** A new signer key for `name` (the text of a key file). */
export function generateSignerKey(name: string): string {
  checkName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
  const id = keyIdOf(name, rawPublicKey(publicKey));
  return `PRIVATE+KEY+${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`;
}

/** The signer a signer key names. */
export function signerFromKey(text: string): NoteSigner {
  const parts = splitKey(text, 4);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new NoteError('not a signer key (PRIVATE+KEY+<name>+<id>+<key>)');
  const [, , name, idHex, encoded] = parts as [string, string, string, string, string];
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519) throw new NoteError('the signer key is not an Ed25519 key');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, bytes.subarray(1)]), format: 'der', type: 'pkcs8' });
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = keyIdOf(checkName(name), publicKey);
  if (keyId.toString('hex') !== idHex) throw new NoteError(`the signer key's id ${idHex} is not its key's (${keyId.toString('hex')})`);
  return { name, keyId, publicKey, sign: (message) => sign(null, message, privateKey) };
}

/** The verifier key to publish: `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export function verifierKeyOf(key: NoteKey): string {
  return `${key.name}+${key.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), key.publicKey]).toString('base64')}`;
}

/** The verifier a verifier key names; refuses a key whose id does not match its name and key. */
export function verifierFromKey(text: string): NoteVerifier {
  const parts = splitKey(text, 2);
  if (parts.length !== 3) throw new NoteError('not a verifier key (<name>+<hex key id>+<base64 key>)');
  const [name, idHex, encoded] = parts as [string, string, string];
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519) throw new NoteError('the verifier key is not an Ed25519 key');
  const publicKey = bytes.subarray(1);
  const keyId = keyIdOf(checkName(name), publicKey);
  if (!/^[0-9a-f]{8}$/.test(idHex) || keyId.toString('hex') !== idHex) throw new NoteError(`the verifier key's id ${idHex} does not match its name and key`);
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return { name, keyId, publicKey, verify: (message, signature) => verify(null, message, key, signature) };
}

// ---------------------------------------------------------------------------------------------
// Notes.

/** The signature line `signer` adds to a note with this body. */
function signatureLine(body: string, signer: NoteSigner): string {
  return `${DASH} ${signer.name} ${Buffer.concat([signer.keyId, signer.sign(Buffer.from(body, 'utf8'))]).toString('base64')}\n`;
}

function checkBody(body: string): void {
  if (!body.endsWith('\n')) throw new NoteError('a note body must end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(body)) throw new NoteError('a note body may hold no control character but newlines');
}

/** The signed note: `body`, a blank line, a signature line per signer. */
export function signNote(body: string, signers: readonly NoteSigner[]): string {
  checkBody(body);
  return `${body}\n${signers.map((signer) => signatureLine(body, signer)).join('')}`;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

/** Splits a signed note into its body and its signatures (none checked). */
export function parseNote(note: string): { body: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('not a signed note: no blank line before the signatures, or no final newline');
  const body = note.slice(0, split + 1);
  checkBody(body);
  const signatures = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const match = new RegExp(`^${DASH} (\\S+) ([A-Za-z0-9+/]+={0,2})$`).exec(line);
      if (!match) throw new NoteError(`not a signature line: ${JSON.stringify(line)}`);
      const bytes = Buffer.from(match[2]!, 'base64');
      if (bytes.length < 5) throw new NoteError(`signature by ${match[1]} is too short`);
      return { name: match[1]!, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
    });
  return { body, signatures };
}

/**
 * Checks a note against the keys it must be signed by: every verifier given must have signed it,
 * and a signature by one of them that does not verify is refused. Signatures by other keys (a
 * witness's) are passed over. Returns the body.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): { body: string; signatures: NoteSignature[] } {
  const { body, signatures } = parseNote(note);
  const message = Buffer.from(body, 'utf8');
  for (const verifier of verifiers) {
    const mine = signatures.filter((signature) => signature.name === verifier.name && signature.keyId.equals(verifier.keyId));
    if (mine.length === 0) {
      const named = signatures.map((signature) => `${signature.name}+${signature.keyId.toString('hex')}`).join(', ') || 'none';
      throw new NoteError(`the note is not signed by the key ${verifier.name}+${verifier.keyId.toString('hex')} (signed by: ${named})`);
    }
    for (const signature of mine) {
      if (signature.signature.length !== 64 || !verifier.verify(message, signature.signature)) {
        throw new NoteError(
          `the signature by ${verifier.name}+${verifier.keyId.toString('hex')} does not verify: the note was changed or signed by another key`,
        );
      }
    }
  }
  return { body, signatures };
}

/** Adds `signer`'s signature to a signed note (a witness's cosignature; the signatures already there are kept). */
export function cosignNote(note: string, signer: NoteSigner): string {
  const { body, signatures } = parseNote(note);
  if (signatures.some((signature) => signature.name === signer.name && signature.keyId.equals(signer.keyId))) return note;
  return `${note}${signatureLine(body, signer)}`;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints.

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

/** The checkpoint body: origin, tree size, base64 root hash, each on its line. */
export function checkpointBody(checkpoint: Checkpoint): string {
  if (checkpoint.origin.length === 0 || /\n/.test(checkpoint.origin)) throw new NoteError('a checkpoint origin is one non-empty line');
  if (checkpoint.rootHash.length !== 32) throw new NoteError('a checkpoint root hash is 32 bytes');
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\n`;
}

/** A checkpoint body's fields (extension lines after the third are allowed and ignored). */
export function parseCheckpointBody(body: string): Checkpoint {
  const lines = body.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') throw new NoteError('a checkpoint has an origin, a tree size and a root hash, each on its line');
  const [origin, size, root] = lines as [string, string, string];
  if (origin.length === 0) throw new NoteError('the checkpoint has no origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new NoteError(`the checkpoint's tree size is not a number: ${JSON.stringify(size)}`);
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root)
    throw new NoteError(`the checkpoint's root hash is not 32 bytes of base64: ${JSON.stringify(root)}`);
  return { origin, treeSize: Number(size), rootHash };
}

/** A signed checkpoint note. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(checkpointBody(checkpoint), signers);
}

/**
 * Opens a checkpoint note: signed by `verifier` (and any other verifiers given, e.g. witnesses)
 * and, when `origin` is given, of that origin. Throws a NoteError naming what failed.
 */
export function openCheckpoint(note: string, verifiers: readonly NoteVerifier[], origin?: string): Checkpoint & { note: string; signatures: NoteSignature[] } {
  const { body, signatures } = openNote(note, verifiers);
  const checkpoint = parseCheckpointBody(body);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new NoteError(`the checkpoint's origin is ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(origin)}: it is another log's`);
  }
  return { ...checkpoint, note, signatures };
}
