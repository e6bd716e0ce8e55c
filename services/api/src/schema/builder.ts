import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin, { defaultGetResultName, defaultGetUnionName } from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { forbidden, scopesOf, type Scopes } from '../access.ts';
import type { Context } from '../context.ts';

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: Scopes;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: string; Output: string | Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Relay first, so scope checks see decoded global ids; scope-auth before the rest.
  plugins: [RelayPlugin, ScopeAuthPlugin, ErrorsPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  // A mutation's answer is `<Name>Payload`: the union of its success and `Rejection`. A domain
  // command's success is the shared `CommandResult` (`directResult`); any other mutation's is
  // `<Name>Result`, its `data` the value it answers.
  errors: {
    defaultTypes: [],
    defaultUnionOptions: { name: (field) => (field.parentTypeName === 'Mutation' ? `${pascal(field.fieldName)}Payload` : defaultGetUnionName(field)) },
    defaultResultOptions: { name: (field) => (field.parentTypeName === 'Mutation' ? `${pascal(field.fieldName)}Result` : defaultGetResultName(field)) },
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => scopesOf(context.actor),
    unauthorizedError: (_parent, context) => forbidden(context.actor),
  },
});

/** The largest page a connection serves, whatever `first` asks for. */
export const MAX_PAGE_SIZE = 100;

/** Every query needs a sign-in unless it says otherwise (the public fields use `skipTypeScopes`). */
builder.queryType({ description: 'Read models of the duty-performance record.', authScopes: { signedIn: true } });
/** Commands check their own roles (the domain's), answering a typed Rejection "forbidden". */
builder.mutationType({ description: 'Commands: every one appends events or returns a typed rejection.' });
