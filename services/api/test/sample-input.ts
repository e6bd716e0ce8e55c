/** Well-typed inputs for the generated command mutations. */
import { randomUUID } from 'node:crypto';
import type { FieldShape } from '../src/schema/commands.ts';

/** A value of the right GraphQL type for every required field (ids are fresh UUIDs): enough to reach the bus. */
export function sample(fields: Record<string, FieldShape>): Record<string, unknown> {
  const value = (field: FieldShape): unknown => {
    const { shape } = field;
    switch (shape.kind) {
      case 'id':
        return randomUUID();
      case 'date':
        return '2026-10-01';
      case 'int':
      case 'float':
        return 1;
      case 'boolean':
        return false;
      case 'enum':
        return shape.values[0]!.toUpperCase().replaceAll('-', '_');
      case 'list':
        return [value(shape.item)];
      case 'object':
        return sample(shape.fields);
      case 'json':
        return {};
      default:
        return 'x';
    }
  };
  return Object.fromEntries(Object.entries(fields).flatMap(([name, field]) => (field.required ? [[name, value(field)]] : [])));
}
