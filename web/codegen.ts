/**
 * Typed GraphQL documents from the committed SDL (never a live server). Operations live in
 * `.ts` files beside the route that uses them, so the `documents` glob finds them.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/lib/gql/**', '!src/**/*.spec.ts'],
  ignoreNoDocuments: false,
  generates: {
    './src/lib/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { ID: 'string', Date: 'string', DateTime: 'string' } },
    },
  },
};

export default config;
