import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './node.ts';
import './errors.ts';
import './audit.ts';
import './training.ts';
import './people.ts';
import './search.ts';
import './review.ts';
import './scores.ts';
import './handover.ts';
import './term-change.ts';
import './stations.ts';
import './statistics.ts';
import './regulations.ts';
import './commands.ts';
import './live.ts';
import './public.ts';
import './transparency.ts';
import './accounts.ts';
import './single-sign-on.ts';
import './passkeys.ts';
import './voter-readers.ts';
import './evidence.ts';
import './system.ts';

export const schema = builder.toSchema();

/** The SDL committed to schema/schema.graphql. */
export const printSdl = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
