/**
 * The file store: evidence files kept by the SHA-256 of their bytes (content-addressed), behind
 * one interface. The hash is what the log's events name, so the hash chain covers the file; a
 * file is written once and never changed, and the same bytes attached twice are kept once.
 *
 * `FolderFileStore` keeps them in a folder (by default `.data/files`, beside the embedded
 * database), two levels of fan-out by the hash's first characters:
 *
 *   <root>/sha256/ab/abcdef…            the file, exactly the bytes the hash names
 *   <root>/thumbnails/ab/abcdef….webp   its thumbnail (derived: made again from the file if lost)
 *
 * A file is written to a temporary name in the same folder and renamed into place, so a reader
 * never sees half a file and a crash leaves no file under a hash it does not have.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const HASH = /^[0-9a-f]{64}$/;
export const isSha256 = (value: string): boolean => HASH.test(value);

/** What a file's check found: kept as named, absent, or kept with other bytes than its hash names. */
export type FileCheck = 'ok' | 'missing' | 'altered';

export interface FileStore {
  /** Keeps `bytes` under their SHA-256 (once: the same bytes again change nothing) and returns the hash. */
  put(bytes: Uint8Array): Promise<string>;
  /** The file's bytes, or null when no file has that hash. */
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /** Keeps the thumbnail of the file with that hash (derived, so it may be replaced). */
  putThumbnail(sha256: string, bytes: Uint8Array): Promise<void>;
  getThumbnail(sha256: string): Promise<Buffer | null>;
  /** Reads the file and compares its bytes with its name. */
  check(sha256: string): Promise<FileCheck>;
  /** Every hash the store holds, in no particular order. */
  list(): AsyncIterable<string>;
  /** Where it keeps files, in words (for messages). */
  describe(): string;
}

export class FolderFileStore implements FileStore {
  constructor(readonly root: string) {}

  private fileOf(sha256: string): string {
    if (!isSha256(sha256)) throw new TypeError(`Not a SHA-256 hash: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  private thumbnailOf(sha256: string): string {
    if (!isSha256(sha256)) throw new TypeError(`Not a SHA-256 hash: ${sha256}`);
    return path.join(this.root, 'thumbnails', sha256.slice(0, 2), `${sha256}.webp`);
  }

  private async write(file: string, bytes: Uint8Array): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.partial`;
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Of(bytes);
    // Kept already with the right bytes: nothing to do. Missing or altered: written (again).
    if ((await this.check(sha256)) !== 'ok') await this.write(this.fileOf(sha256), bytes);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | null> {
    return readFile(this.fileOf(sha256)).catch(absent);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.fileOf(sha256)).then(
      (found) => found.isFile(),
      () => false,
    );
  }

  putThumbnail(sha256: string, bytes: Uint8Array): Promise<void> {
    return this.write(this.thumbnailOf(sha256), bytes);
  }

  getThumbnail(sha256: string): Promise<Buffer | null> {
    return readFile(this.thumbnailOf(sha256)).catch(absent);
  }

  async check(sha256: string): Promise<FileCheck> {
    const bytes = await this.get(sha256);
    if (bytes === null) return 'missing';
    return sha256Of(bytes) === sha256 ? 'ok' : 'altered';
  }

  async *list(): AsyncIterable<string> {
    const base = path.join(this.root, 'sha256');
    const folders = await readdir(base).catch(() => [] as string[]);
    for (const folder of folders.sort()) {
      const names = await readdir(path.join(base, folder)).catch(() => [] as string[]);
      for (const name of names.sort()) if (isSha256(name)) yield name;
    }
  }

  describe(): string {
    return `the folder ${this.root}`;
  }
}

function absent(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}
