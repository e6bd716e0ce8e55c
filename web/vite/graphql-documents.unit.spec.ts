import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as generatedModule from '../src/lib/gql/graphql';
import { documentExportName, documentModule, generatedDocuments, graphqlDocuments, inlineDocuments } from './graphql-documents';

const GQL_DIR = fileURLToPath(new URL('../src/lib/gql', import.meta.url));
const SRC_DIR = fileURLToPath(new URL('../src', import.meta.url));
const generated = generatedDocuments(readFileSync(path.join(GQL_DIR, 'graphql.ts'), 'utf8'));

describe('each graphql() call becomes an import of its one document', () => {
  it('names a document by its first definition, as the codegen does', () => {
    expect(documentExportName('\n  query PeoplePage($after: String) { people { name } }')).toBe('PeoplePageDocument');
    expect(documentExportName('mutation RecordCommand { result }')).toBe('RecordCommandDocument');
    expect(documentExportName('subscription ProjectionChanged { x }')).toBe('ProjectionChangedDocument');
    expect(documentExportName('# the book\n  fragment BookPageInfo on PageInfo { endCursor }')).toBe('BookPageInfoFragmentDoc');
    expect(() => documentExportName('{ me { role } }')).toThrow(/named operation or fragment/);
  });

  it('replaces the calls, keeps every line where it was and imports each document once', () => {
    const known = new Map([
      ['AQueryDocument', '{}'],
      ['BFieldsFragmentDoc', '{}'],
    ]);
    const code = [
      "import { graphql } from '$lib/gql';",
      'export const A = graphql(`',
      '  query AQuery { a }',
      '`);',
      'export const B = graphql(`fragment BFields on B { b }`);',
      'export const A2 = graphql(`query AQuery { a }`);',
      'export const after = 1;',
    ].join('\n');
    const out = inlineDocuments(code, known)!;
    expect(out.split('\n')).toHaveLength(code.split('\n').length);
    expect(out.split('\n')[6]).toBe('export const after = 1;');
    expect(out).not.toMatch(/graphql\(/);
    expect(out.split('\n')[0]).toBe(
      `import __document_AQueryDocument from "${documentModule('AQueryDocument')}"; import __document_BFieldsFragmentDoc from "${documentModule('BFieldsFragmentDoc')}"; import { graphql } from '$lib/gql';`,
    );
    expect(out).toContain('export const A2 = __document_AQueryDocument;');
    expect(inlineDocuments('export const x = 1;', known)).toBeUndefined();
  });

  it('refuses a document the codegen has not generated, and one that interpolates', () => {
    expect(() => inlineDocuments('graphql(`query Missing { a }`)', new Map())).toThrow(/MissingDocument is not among the generated documents/);
    expect(() => inlineDocuments(`graphql(\`query A { \${field} }\`)`, new Map([['ADocument', '{}']]))).toThrow(/cannot interpolate/);
  });

  it('finds every document the pages ask for among the generated ones, each the same as the codegen exports', () => {
    const files = readdirSync(SRC_DIR, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith(`lib${path.sep}gql`))
      .map((file) => readFileSync(path.join(SRC_DIR, file), 'utf8'))
      .filter((code) => code.includes('graphql('));
    const used = new Set<string>();
    for (const code of files) {
      for (const [, name] of (inlineDocuments(code, generated) ?? '').matchAll(/import __document_(\w+) from/g)) used.add(name as string);
    }
    expect(used.size).toBeGreaterThan(80);
    const exported = generatedModule as unknown as Record<string, unknown>;
    for (const name of used) expect(JSON.parse(generated.get(name)!), name).toEqual(exported[name]);
  });

  it('serves a document as a module of its own', () => {
    const plugin = graphqlDocuments(GQL_DIR);
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const load = plugin.load as (id: string) => string | undefined;
    const id = resolveId(documentModule('PeoplePageDocument'))!;
    expect(id).toBe(`\0${documentModule('PeoplePageDocument')}`);
    expect(resolveId('./elsewhere')).toBeUndefined();
    const module = load(id)!;
    expect(module.startsWith('export default ')).toBe(true);
    expect(JSON.parse(module.slice('export default '.length, -1))).toEqual((generatedModule as Record<string, unknown>).PeoplePageDocument);
    expect(() => load(`\0${documentModule('NoSuchDocument')}`)).toThrow(/NoSuchDocument is not among/);
  });
});
