import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './errors.ts';
import './training.ts';

export const schema = builder.toSchema();

/** The SDL committed to schema/schema.graphql. */
export const printSdl = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
