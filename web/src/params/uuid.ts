import type { ParamMatcher } from '@sveltejs/kit';

/** Ids of people, mandates and stations are UUIDs. */
export const match = ((param: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(param)) satisfies ParamMatcher;
