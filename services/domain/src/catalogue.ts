/**
 * Renders docs/events.md from the event registry, so the catalogue always matches the code:
 * streams, event types and versions, descriptions, and each field with its type and meaning
 * (from the zod schema's `.describe()` texts).
 */
import { z } from 'zod';
import type { EventDefinition, EventRegistry } from './kernel/registry.ts';

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'object') {
    const fields = Object.keys(schema.properties ?? {});
    return fields.length ? `{ ${fields.join(', ')} }` : 'object';
  }
  if (schema.format === 'uuid') return 'UUID';
  if (schema.format === 'date') return 'ISO date';
  if (schema.format === 'date-time') return 'ISO instant';
  if (schema.type === 'null') return 'null';
  return String(schema.type ?? 'any');
}

function fieldsTable(definition: EventDefinition): string {
  const json = z.toJSONSchema(definition.schema, { unrepresentable: 'any' }) as JsonSchema;
  const rows = Object.entries(json.properties ?? {}).map(([name, field]) => {
    const optional = json.required?.includes(name) ? '' : ' (optional)';
    const description = (field.description ?? field.anyOf?.find((option) => option.description)?.description ?? '').replaceAll('|', '\\|');
    return `| ${name}${optional} | ${typeOf(field)} | ${description} |`;
  });
  return ['| field | type | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function renderCatalogue(registry: EventRegistry): string {
  const byStream = new Map<string, EventDefinition[]>();
  for (const definition of registry.all()) byStream.set(definition.stream, [...(byStream.get(definition.stream) ?? []), definition]);
  const sections = [...byStream.entries()].map(([stream, definitions]) => {
    const events = definitions.map((definition) => {
      const notes = [
        definition.record ? '_Creates a reviewable record: declared by a deputy it awaits review; recorded by staff it is approved on entry._' : '',
        definition.upcast
          ? `_Older versions (${Object.keys(definition.upcast)
              .map((v) => `v${v}`)
              .join(', ')}) are upcast when read._`
          : '',
      ].filter(Boolean);
      return [`### ${definition.type} (v${definition.version})`, definition.description, ...notes, fieldsTable(definition)].join('\n\n');
    });
    return [`## Stream \`${stream}:<id>\``, ...events].join('\n\n');
  });
  return `${[
    '# Event catalogue',
    'Every event yingpan writes, grouped by the stream it lives on: its type and current schema version, ' +
      'what it means, and its fields. Generated from the code’s event registry by ' +
      '`npm run catalogue -w @yingpan/domain`; a test fails when this page is stale. Metadata common to every ' +
      'event (recorder and role, `occurredAt`, `recordedAt`, correlation, causation and command ids) is ' +
      'described in docs/decisions.md.',
    ...sections,
  ].join('\n\n')}\n`;
}
