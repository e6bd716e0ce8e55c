/**
 * Compiled execution for the read queries whose answers are long lists of plain figures: the
 * dashboard's statistics and headline figures, its score bands and duty compliance, a station's
 * compliance table and the station list. graphql-js walks an answer field by field (a resolver, a
 * completion and checks for every field of every row); for a dashboard's few hundred groups that walk
 * cost more than reading the figures. graphql-jit (through @envelop/graphql-jit) compiles each
 * document once into a function that does the same work without the walk, with the same resolvers,
 * so access checks and batching are unchanged.
 *
 * Only those queries: graphql-jit differs from graphql-js where an answer has errors (a list whose
 * item failed loses the item instead of keeping null, and errors carry no field nodes, so they lose
 * their locations when masked), so every other
 * operation runs on graphql-js, and so does a compiled one whose variables graphql-js refuses (its
 * message names the field of an input, e.g. "filter.occurredFrom"; the compiled one does not). The
 * errors of a compiled answer get their field nodes back from their paths (`locate`).
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Root query fields whose operations run compiled. */
export const COMPILED_FIELDS: ReadonlySet<string> = new Set(['countyHeadlines', 'countyStatistics', 'scoreBands', 'stationCompliance', 'stations']);

/** Whether graphql-jit runs this execution: a query of compiled root fields only, whose variables graphql-js accepts. */
export function runsCompiled(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: unknown): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return false;
  const roots = operation.selectionSet.selections;
  if (!roots.every((selection) => selection.kind === Kind.FIELD && COMPILED_FIELDS.has(selection.name.value))) return false;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
  return !coerced.errors;
}

/** The fields of a selection set, through inline fragments and fragment spreads. */
function fieldsOf(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? fieldsOf(fragment.selectionSet, fragments) : [];
  });
}

/** The field nodes an answer's path points at (the list indexes skipped), as graphql-js would name them in an error. */
export function fieldNodesAt(document: DocumentNode, operationName: string | null | undefined, path: readonly (string | number)[]): FieldNode[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  let nodes: FieldNode[] = [];
  let sets: SelectionSetNode[] = [operation.selectionSet];
  for (const key of path) {
    if (typeof key === 'number') continue;
    nodes = sets.flatMap((set) => fieldsOf(set, fragments)).filter((field) => (field.alias ?? field.name).value === key);
    if (nodes.length === 0) return [];
    sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  }
  return nodes;
}

/**
 * An error of a compiled answer with the field nodes graphql-js would have given it (none found: as
 * it was). graphql-jit gives its errors locations but no nodes, and the errors are copied from their
 * nodes, source and positions when they are masked or put in the API's words (errors.ts).
 */
function locate(error: GraphQLError, document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  if (error.nodes?.length || !error.path) return error;
  const nodes = fieldNodesAt(document, operationName, error.path);
  const source = document.loc?.source;
  if (nodes.length === 0 || !source) return error;
  return new GraphQLError(error.message, {
    nodes,
    source,
    positions: nodes.flatMap((node) => (node.loc ? [node.loc.start] : [])),
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * The plugins: graphql-jit for the compiled queries, and the field nodes of their errors.
 * `onCompiled` hears the name of each operation run compiled (the tests check that it is used).
 */
export function compiledExecution(onCompiled?: (operationName: string | undefined) => void): Plugin[] {
  const compiled = new WeakSet<object>();
  const jit = useGraphQlJit(
    {},
    {
      enableIf: (args) => {
        const yes = runsCompiled(args.schema, args.document, args.operationName, args.variableValues);
        if (yes) {
          compiled.add(args.contextValue as object);
          onCompiled?.(getOperationAST(args.document, args.operationName)?.name?.value);
        }
        return yes;
      },
    },
  ) as Plugin;
  const locations: Plugin = {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!compiled.has(args.contextValue as object) || Symbol.asyncIterator in result || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((error) => locate(error, args.document, args.operationName)) });
        },
      };
    },
  };
  return [jit, locations];
}
