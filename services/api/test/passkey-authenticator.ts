/**
 * A passkey authenticator in the test process, as a phone would be: an ES256 key pair per
 * credential, answers to WebAuthn options in the JSON `@simplewebauthn/browser` makes (attestation
 * "none", the device's flags, a signature counter). Each answer can be bent — another origin, no user
 * verification, a counter held back, a signature by another key — to show the API refuses it.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

const b64 = (bytes: Uint8Array | Buffer) => isoBase64URL.fromBuffer(new Uint8Array(bytes));
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest();

const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

export interface Bend {
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  /** The counter to report instead of the next one. */
  counter?: number;
  /** Sign with this key instead of the credential's. */
  signWith?: KeyObject;
  /** The challenge to sign instead of the one asked. */
  challenge?: string;
}

export interface Credential {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  userHandle: string;
  counter: number;
}

export class TestAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(
    readonly origin = 'http://localhost:3000',
    /** Counters as a security key keeps them (phones' passkeys report 0). */
    readonly counts = true,
  ) {}

  /** Answers creation options: a new credential for the user the options name. */
  register(options: any, bend: Bend = {}): { answer: unknown; credential: Credential } {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = b64(randomBytes(16));
    const credential: Credential = { id, privateKey, publicKey, userHandle: options.user.id, counter: 0 };
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, isoBase64URL.toBuffer(jwk.x!)],
        [-3, isoBase64URL.toBuffer(jwk.y!)],
      ]),
    );
    const idBytes = isoBase64URL.toBuffer(id);
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]), Buffer.from(idBytes), Buffer.from(cose)]);
    const authData = Buffer.concat([this.header(bend.rpId ?? options.rp.id, AT | this.flags(bend), bend.counter ?? 0), attested]);
    const clientData = this.clientData('webauthn.create', bend.challenge ?? options.challenge, bend.origin);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    this.credentials.push(credential);
    return {
      credential,
      answer: {
        id,
        rawId: id,
        type: 'public-key',
        response: { clientDataJSON: b64(clientData), attestationObject: b64(attestationObject), transports: ['internal', 'hybrid'] },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      },
    };
  }

  /** Answers request options with `credential` (default: the last registered), its counter moving on. */
  authenticate(options: any, credential = this.credentials.at(-1)!, bend: Bend = {}): unknown {
    if (this.counts) credential.counter += 1;
    const authData = this.header(bend.rpId ?? options.rpId, this.flags(bend), bend.counter ?? (this.counts ? credential.counter : 0));
    const clientData = this.clientData('webauthn.get', bend.challenge ?? options.challenge, bend.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), bend.signWith ?? credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private flags(bend: Bend): number {
    return UP | BE | BS | (bend.userVerified === false ? 0 : UV);
  }

  private header(rpId: string, flags: number, counter: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
