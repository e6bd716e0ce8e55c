/**
 * Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint): the reference example of the
 * Go implementation (golang.org/x/mod/sumdb/note) byte for byte, the spec's verifier-key example,
 * and every refusal naming what failed.
 */
import { describe, expect, it } from 'vitest';
import {
  NoteError,
  cosignNote,
  generateSignerKey,
  keyIdOf,
  openCheckpoint,
  openNote,
  parseCheckpointBody,
  signCheckpoint,
  signNote,
  signerFromKey,
  verifierFromKey,
  verifierKeyOf,
} from '../src/note.ts';

const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(NoteError);
    return (error as NoteError).reason;
  }
  throw new Error('expected a refusal');
};

describe('signed notes', () => {
  it('sign the reference example byte for byte, and derive its verifier key and key id', () => {
    const signer = signerFromKey(GO_SKEY);
    expect(signer.keyId.toString('hex')).toBe('c74f20a3');
    expect(verifierKeyOf(signer)).toBe(GO_VKEY);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_NOTE);
    expect(openNote(GO_NOTE, [verifierFromKey(GO_VKEY)]).body).toBe(GO_TEXT);
    expect(openNote(SPEC_NOTE, [verifierFromKey(SPEC_VKEY)]).body).toBe('This is an example message.\n');
    expect(keyIdOf('PeterNeumann', signer.publicKey).toString('hex')).toBe('c74f20a3');
  });

  it('refuse a changed body, an unknown key, a wrong key id and malformed notes, naming what failed', () => {
    const verifier = verifierFromKey(GO_VKEY);
    expect(refusal(() => openNote(GO_NOTE.replace('problem,', 'problem;'), [verifier]))).toMatch(/signature by PeterNeumann\+c74f20a3 does not verify/);
    expect(refusal(() => openNote(GO_NOTE, [verifierFromKey(SPEC_VKEY)]))).toMatch(
      /not signed by the key example.com\/foo\+530d903a \(signed by: PeterNeumann\+c74f20a3\)/,
    );
    expect(refusal(() => verifierFromKey(GO_VKEY.replace('c74f20a3', 'c74f20a4')))).toMatch(/does not match its name and key/);
    expect(refusal(() => openNote(GO_TEXT, [verifier]))).toMatch(/not a signed note/);
    expect(refusal(() => openNote(`${GO_TEXT}\n- PeterNeumann abc\n`, [verifier]))).toMatch(/not a signature line/);
  });

  it('a generated key signs and verifies, and a cosignature keeps the signatures already there', () => {
    const signer = signerFromKey(generateSignerKey('county.example/log'));
    const witness = signerFromKey(generateSignerKey('witness.example'));
    const note = signNote('hello\n', [signer]);
    const cosigned = cosignNote(note, witness);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(openNote(cosigned, [verifierFromKey(verifierKeyOf(signer)), verifierFromKey(verifierKeyOf(witness))]).signatures).toHaveLength(2);
    expect(cosignNote(cosigned, witness)).toBe(cosigned);
  });
});

describe('checkpoints', () => {
  const signer = signerFromKey(generateSignerKey('yingpan.example/county'));
  const verifier = verifierFromKey(verifierKeyOf(signer));
  const root = Buffer.alloc(32, 7);

  it('are the three lines of the tlog-checkpoint format, signed', () => {
    const note = signCheckpoint({ origin: 'yingpan.example/county', treeSize: 42, rootHash: root }, [signer]);
    expect(note.split('\n').slice(0, 4)).toEqual(['yingpan.example/county', '42', root.toString('base64'), '']);
    expect(openCheckpoint(note, [verifier], 'yingpan.example/county')).toMatchObject({ origin: 'yingpan.example/county', treeSize: 42, rootHash: root });
  });

  it('refuse another origin, a changed size, a bad root and another key, naming what failed', () => {
    const note = signCheckpoint({ origin: 'yingpan.example/county', treeSize: 42, rootHash: root }, [signer]);
    expect(refusal(() => openCheckpoint(note, [verifier], 'yingpan.example/other'))).toMatch(
      /origin is "yingpan.example\/county", not "yingpan.example\/other"/,
    );
    expect(refusal(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), [verifier]))).toMatch(/does not verify/);
    const other = verifierFromKey(verifierKeyOf(signerFromKey(generateSignerKey('yingpan.example/county'))));
    expect(refusal(() => openCheckpoint(note, [other]))).toMatch(/not signed by the key/);
    expect(refusal(() => parseCheckpointBody('origin\nforty\nAAAA\n'))).toMatch(/tree size is not a number/);
    expect(refusal(() => parseCheckpointBody('origin\n4\nAAAA\n'))).toMatch(/root hash is not 32 bytes/);
  });
});
