/**
 * The pieces every scenario uses that need no DATABASE_URL: the failover scenario, which starts a
 * cluster of its own, imports only these (support.ts fails at once without DATABASE_URL).
 */
import type { Queryable } from '@yingpan/db';

/** Prints one figure line of the suite (the README quotes them). */
export function figure(line: string): void {
  console.log(`[faults] ${line}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const rows = async <R>(db: Queryable, text: string, params: unknown[] = []): Promise<R[]> => (await db.query<R>(text, params)).rows;
