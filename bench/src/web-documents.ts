/**
 * The web client's own GraphQL documents, so the benchmarks send what its pages send rather than
 * copies that drift. The source of truth is codegen's output, web/src/lib/gql/graphql.ts (the
 * client preset: every operation in the web's .ts sources as a `…Document` AST, with the fragments it
 * spreads); it is generated (`npm run codegen -w @yingpan/web`, ignored by git), so it is made
 * first when it is missing or older than the web's sources or the schema.
 */
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// graphql is the web's and the API's dependency (hoisted to the root node_modules), not the bench's own.
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { newestUnder, REPO_ROOT, runWebScript, WEB_DIR } from './web-sources.ts';

const GENERATED = path.join(WEB_DIR, 'src', 'lib', 'gql', 'graphql.ts');
const DASHBOARD = path.join(WEB_DIR, 'src', 'routes', 'dashboard.ts');
/**
 * When this process (or an earlier run) last ran codegen successfully, set to the moment it
 * started. Codegen leaves a file alone when its content would not change, so after a source edit
 * that changes no document graphql.ts stays older than the sources: the stamp says it is current.
 */
const STAMP = path.join(REPO_ROOT, 'node_modules', '.cache', 'yingpan-bench', 'web-codegen.stamp');
const log = (line: string) => console.error(`[bench] ${line}`);

const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : Number.NEGATIVE_INFINITY);

/** Runs the web's codegen when its output is missing or older than any .ts or .svelte file under web/src, or the schema. */
export function ensureWebCodegen(): void {
  const sources = [path.join(WEB_DIR, 'src'), path.join(WEB_DIR, '..', 'schema', 'schema.graphql')].filter(existsSync);
  const newestSource = Math.max(...sources.map((source) => newestUnder(source, (file) => /\.(ts|svelte)$/.test(file))));
  if (existsSync(GENERATED) && newestSource <= Math.max(mtime(GENERATED), mtime(STAMP))) return;
  log(`generating the web client's GraphQL documents (${existsSync(GENERATED) ? 'web/src/lib/gql is older than web/src' : 'web/src/lib/gql is missing'})…`);
  const startedAt = new Date();
  runWebScript('codegen');
  if (!existsSync(GENERATED)) throw new Error(`npm run codegen -w @yingpan/web did not write ${path.relative(REPO_ROOT, GENERATED)}`);
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `npm run codegen -w @yingpan/web, started ${startedAt.toISOString()}\n`);
  utimesSync(STAMP, startedAt, startedAt);
}

let generated: Promise<DocumentNode[]> | undefined;

/** Every document codegen exported (its operations and its fragments). */
function webDocuments(): Promise<DocumentNode[]> {
  generated ??= (async () => {
    ensureWebCodegen();
    // A computed specifier: the file is generated, so the type check must not depend on it.
    const module = (await import(pathToFileURL(GENERATED).href)) as Record<string, unknown>;
    return Object.values(module).filter((value): value is DocumentNode => (value as DocumentNode | undefined)?.kind === Kind.DOCUMENT);
  })();
  return generated;
}

const operationOf = (document: DocumentNode): OperationDefinitionNode | undefined =>
  document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);

/**
 * The text of the web client's operation `name` (a query, mutation or subscription as named in
 * its `graphql(…)` call) with the fragments it spreads, printed by graphql's `print` — what urql
 * sends, whitespace aside.
 */
export async function webOperation(name: string): Promise<string> {
  const documents = await webDocuments();
  const document = documents.find((candidate) => operationOf(candidate)?.name?.value === name);
  if (!document) {
    const known = documents.flatMap((candidate) => operationOf(candidate)?.name?.value ?? []).sort();
    throw new Error(
      `the web client has no GraphQL operation named ${name} (not in ${path.relative(REPO_ROOT, GENERATED)}; ` +
        `renamed or removed from web/src?). Its operations: ${known.join(', ')}`,
    );
  }
  return print(document);
}

/**
 * The read models the dashboard follows (`DASHBOARD_MODELS` of web/src/routes/dashboard.ts), from
 * the module itself: it imports only types from `$lib` (erased when tsx loads it), so it loads
 * outside SvelteKit. Should it ever import a `$lib` value, this fails with the reason.
 */
export async function dashboardModels(): Promise<readonly string[]> {
  let module: { DASHBOARD_MODELS?: unknown };
  try {
    module = (await import(pathToFileURL(DASHBOARD).href)) as { DASHBOARD_MODELS?: unknown };
  } catch (error) {
    throw new Error(`could not load ${path.relative(REPO_ROOT, DASHBOARD)} outside SvelteKit for its DASHBOARD_MODELS: ${(error as Error).message}`);
  }
  const models = module.DASHBOARD_MODELS;
  if (!Array.isArray(models) || models.length === 0 || !models.every((name) => typeof name === 'string')) {
    throw new Error(`${path.relative(REPO_ROOT, DASHBOARD)} no longer exports DASHBOARD_MODELS as a list of projection names`);
  }
  return models as string[];
}
