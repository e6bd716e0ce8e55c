/** For unit specs: a command's input checked against the committed SDL, as the API will coerce it. */
import { getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { CommandPlan } from './command';

/** The problems the schema finds with a command's input (none: it would be accepted as sent). */
export function inputErrors(schema: GraphQLSchema, plan: Pick<CommandPlan, 'document' | 'input'>, commandId: string): string[] {
  const operation = plan.document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], { input: { ...plan.input, commandId } });
  return 'errors' in coerced ? (coerced.errors ?? []).map((error) => error.message) : [];
}
