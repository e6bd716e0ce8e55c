import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  errors: { defaultTypes: [] },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
});

/** The largest page a connection serves, whatever `first` asks for. */
export const MAX_PAGE_SIZE = 100;

builder.queryType({ description: 'Read models of the duty-performance record.' });
builder.mutationType({ description: 'Commands: every one appends events or returns a typed rejection.' });
