import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { graphqlDocuments } from './vite/graphql-documents.ts';

export default defineConfig({
  plugins: [graphqlDocuments(fileURLToPath(new URL('./src/lib/gql', import.meta.url))), sveltekit()],
});
