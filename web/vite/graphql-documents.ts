/**
 * Each page's bundle carries only the GraphQL documents it uses.
 *
 * The codegen client preset's `graphql(`…`)` looks a document up in one map of every operation in
 * the project (`src/lib/gql/gql.ts`), so every page loaded all of them: about 250 KB of parsed
 * documents on each page, a phone downloading and compiling the audit page's queries to show
 * 我的履职. At build time this plugin replaces each `graphql(`…`)` call with an import of a module
 * holding that one document, taken from the codegen's `graphql.ts` (what the preset's Babel plugin
 * does for projects built with Babel), so the bundler places each document with the pages that use
 * it. Types are unchanged: the type checker still reads the calls and the generated types. Only
 * `.ts` and `.js` modules are rewritten, where the pages keep their documents (`queries.ts` beside
 * each route); a call left in a `.svelte` file would still work, through the preset's map.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Plugin } from 'vite';

/** The export of `graphql.ts` that holds the document whose first definition is `source`'s. */
export function documentExportName(source: string): string {
  const text = source.replace(/#[^\n]*/g, '');
  const match = /^\s*(query|mutation|subscription|fragment)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(text);
  if (!match) throw new Error(`a graphql() document must start with a named operation or fragment:\n${source.trim().slice(0, 200)}`);
  const [, kind, name] = match;
  return kind === 'fragment' ? `${name}FragmentDoc` : `${name}Document`;
}

/** The error for a document the codegen's output does not hold (it is older than the source). */
const notGenerated = (name: string) => new Error(`${name} is not among the generated documents: run \`npm run codegen\` (graphql-codegen) again`);

/** The module id a document is imported from. */
export const documentModule = (name: string) => `virtual:graphql-document/${name}`;

const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;

/**
 * `code` with every `graphql(`…`)` call replaced by an import of its document's module, or
 * `undefined` when it has none. Throws when a call names a document `generated` does not hold (the
 * generated code is older than the source: run the codegen) or interpolates (`${…}`), which the
 * codegen cannot read either.
 */
export function inlineDocuments(code: string, generated: ReadonlyMap<string, string>): string | undefined {
  const names = new Set<string>();
  const replaced = code.replace(CALL, (call: string, source: string) => {
    if (source.includes('${')) throw new Error(`a graphql() document cannot interpolate: ${source.trim().slice(0, 120)}`);
    const name = documentExportName(source);
    if (!generated.has(name)) throw notGenerated(name);
    names.add(name);
    // The lines the call spanned stay, so the lines after it keep their numbers.
    return `__document_${name}${'\n'.repeat(call.split('\n').length - 1)}`;
  });
  if (names.size === 0) return undefined;
  // On the first line, so that no line moves.
  const imports = [...names].map((name) => `import __document_${name} from ${JSON.stringify(documentModule(name))};`).join(' ');
  return `${imports} ${replaced}`;
}

/** The documents `graphql.ts` exports, by export name: each one's JSON. */
export function generatedDocuments(generated: string): Map<string, string> {
  const documents = new Map<string, string>();
  for (const [, name, json] of generated.matchAll(/^export const (\w+(?:Document|FragmentDoc)) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm)) {
    documents.set(name as string, json as string);
  }
  return documents;
}

/** The Vite plugin: `generatedDir` is the codegen's output folder (`src/lib/gql`). */
export function graphqlDocuments(generatedDir: string): Plugin {
  const file = `${generatedDir}/graphql.ts`;
  // Read again only when the codegen has written the file since (a build asks once per document).
  let cached: { mtimeMs: number; documents: Map<string, string> } | undefined;
  const read = () => {
    const { mtimeMs } = statSync(file);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, documents: generatedDocuments(readFileSync(file, 'utf8')) };
    return cached.documents;
  };
  const prefix = documentModule('');
  return {
    name: 'yingpan:graphql-documents',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(prefix) ? `\0${id}` : undefined;
    },
    load(id) {
      if (!id.startsWith(`\0${prefix}`)) return undefined;
      const name = id.slice(prefix.length + 1);
      const json = read().get(name);
      if (json === undefined) throw notGenerated(name);
      // Checked as JSON, then written as an object literal the bundler can minify.
      return `export default ${JSON.stringify(JSON.parse(json))};`;
    },
    transform(code, id) {
      if (!/\.(ts|js)$/.test(id) || id.startsWith(generatedDir) || id.includes('/node_modules/') || !code.includes('graphql(')) return undefined;
      const inlined = inlineDocuments(code, read());
      return inlined === undefined ? undefined : { code: inlined, map: null };
    },
  };
}
