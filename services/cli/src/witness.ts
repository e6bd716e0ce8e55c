/**
 * `yingpan witness <url>`: what a third party outside the congress runs (a court, a newspaper, the
 * province) to watch the log. It fetches the latest signed checkpoint from the public GraphQL API,
 * checks its signature with the log's key it pinned, checks that the tree only grew since the
 * checkpoint it kept last (a consistency proof, RFC 9162 §2.1.4), and then cosigns it with its own
 * key — a second signature line — and keeps it. Whoever rewrites history below a checkpoint some
 * witness kept is caught the next time that witness runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCheckpointSigner } from '@yingpan/api/checkpoints';
import { cosignNote, NoteError, openCheckpoint, verifierKeyOf, verifyConsistency, type NoteVerifier } from '@yingpan/event-store';

export type WitnessOutcome =
  | { ok: true; treeSize: number; previous: number | null; cosigned: string; message: string }
  | { ok: false; reason: string; treeSize?: number; previous?: number | null };

interface WitnessOptions {
  /** The log's API, e.g. https://rd.example.gov.cn (its /graphql is asked). */
  url: string;
  /** The log's published verifier key, pinned by the witness. */
  verifier: NoteVerifier;
  origin: string;
  /** Where the witness keeps the last checkpoint it cosigned, and its own key. */
  stateDir: string;
  /** The witness's name (its key's name), e.g. "witness.court.example". */
  name: string;
  fetch?: typeof fetch;
}

const hex = (text: string) => Buffer.from(text, 'hex');

async function ask<T>(options: WitnessOptions, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const endpoint = new URL('/graphql', options.url);
  const response = await (options.fetch ?? fetch)(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok) throw new Error(`${endpoint} answered HTTP ${response.status}`);
  const answer = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (answer.errors?.length) throw new Error(`${endpoint}: ${answer.errors.map((error) => error.message).join('; ')}`);
  return answer.data as T;
}

/** The file the witness keeps the last checkpoint it cosigned in, per origin. */
export const keptCheckpointFile = (stateDir: string, origin: string) => path.join(stateDir, `${origin.replace(/[^A-Za-z0-9.-]+/g, '_')}.checkpoint`);

export async function witness(options: WitnessOptions): Promise<WitnessOutcome> {
  const signer = loadCheckpointSigner({ file: path.join(options.stateDir, 'witness-key'), name: options.name });
  const keptFile = keptCheckpointFile(options.stateDir, options.origin);
  const { latestCheckpoint } = await ask<{ latestCheckpoint: { note: string } | null }>(options, '{ latestCheckpoint { note } }');
  if (!latestCheckpoint) return { ok: false, reason: 'the log has issued no checkpoint yet' };
  let latest: ReturnType<typeof openCheckpoint>;
  try {
    latest = openCheckpoint(latestCheckpoint.note, [options.verifier], options.origin);
  } catch (error) {
    if (error instanceof NoteError) return { ok: false, reason: `the latest checkpoint: ${error.reason}` };
    throw error;
  }
  let previous: ReturnType<typeof openCheckpoint> | null = null;
  if (existsSync(keptFile)) previous = openCheckpoint(readFileSync(keptFile, 'utf8'), [options.verifier], options.origin);
  if (previous) {
    if (latest.treeSize < previous.treeSize) {
      return {
        ok: false,
        treeSize: latest.treeSize,
        previous: previous.treeSize,
        reason: `the log shrank: its latest checkpoint has ${latest.treeSize} events, the one kept here ${previous.treeSize}`,
      };
    }
    if (latest.treeSize === previous.treeSize) {
      if (!latest.rootHash.equals(previous.rootHash)) {
        return {
          ok: false,
          treeSize: latest.treeSize,
          previous: previous.treeSize,
          reason: `two different trees of ${latest.treeSize} events were signed: the log was rewritten`,
        };
      }
    } else {
      let proof: { fromRoot: string; toRoot: string; hashes: string[] };
      try {
        proof = (
          await ask<{ consistencyProof: typeof proof }>(
            options,
            'query($from: Int!, $to: Int) { consistencyProof(from: $from, to: $to) { fromRoot toRoot hashes } }',
            {
              from: previous.treeSize,
              to: latest.treeSize,
            },
          )
        ).consistencyProof;
      } catch (error) {
        return {
          ok: false,
          treeSize: latest.treeSize,
          previous: previous.treeSize,
          reason: `the log gave no consistency proof from ${previous.treeSize} to ${latest.treeSize} events (${(error as Error).message}): it may have been rewritten`,
        };
      }
      // The roots checked are the two signed ones, never the roots the server says it has.
      const check = verifyConsistency(previous.treeSize, latest.treeSize, proof.hashes.map(hex), previous.rootHash, latest.rootHash);
      if (!check.ok) {
        return {
          ok: false,
          treeSize: latest.treeSize,
          previous: previous.treeSize,
          reason: `the tree of ${latest.treeSize} events does not extend the checkpoint of ${previous.treeSize} kept here (${check.reason}): the log was rewritten`,
        };
      }
    }
  }
  const cosigned = cosignNote(latest.note, signer);
  mkdirSync(options.stateDir, { recursive: true });
  writeFileSync(keptFile, cosigned);
  return {
    ok: true,
    treeSize: latest.treeSize,
    previous: previous?.treeSize ?? null,
    cosigned,
    message: previous
      ? `the tree of ${latest.treeSize} events extends the checkpoint of ${previous.treeSize} kept here; cosigned by ${signer.name}`
      : `first checkpoint kept: ${latest.treeSize} events; cosigned by ${signer.name}`,
  };
}

/** The witness's own verifier key, to publish beside its cosignatures. */
export const witnessKey = (stateDir: string, name: string) => verifierKeyOf(loadCheckpointSigner({ file: path.join(stateDir, 'witness-key'), name }));
