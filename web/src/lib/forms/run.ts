/**
 * Sending a form's commands. Every domain command is a mutation `<name>(input: <Name>Input!)`
 * answering `Mutation<Name>Success` or a `Rejection`, so one document shape serves them all
 * (`commandDocument`; a unit test checks every form's documents and inputs against the SDL).
 */
import { parse, type DocumentNode } from 'graphql';
import type { Client } from '@urql/core';
import type { Bilingual } from '../messages';
import type { PlannedCommand } from './engine';

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The mutation document of a command, e.g. `organiseActivity`. */
export function commandDocumentText(mutation: string): string {
  const name = pascal(mutation);
  return `mutation ${name}Command($input: ${name}Input!) {
  ${mutation}(input: $input) {
    __typename
    ... on Mutation${name}Success { data { position duplicate events { type streamId } } }
    ... on Rejection { code field messageZh messageEn }
  }
}`;
}

const documents = new Map<string, DocumentNode>();
export function commandDocument(mutation: string): DocumentNode {
  let document = documents.get(mutation);
  if (!document) documents.set(mutation, (document = parse(commandDocumentText(mutation))));
  return document;
}

export type Outcome =
  /** `streams`: the streams its events were written on (what a record's evidence is attached on). */
  | { kind: 'recorded'; position: number; duplicate: boolean; events: string[]; streams: string[] }
  | { kind: 'rejected'; code: string; field: string | null; message: Bilingual }
  /** No answer (network, server or GraphQL error): nothing is known to be recorded; retry with the same command id. */
  | { kind: 'failed'; message: string };

interface Answer {
  __typename?: string;
  data?: { position: number; duplicate: boolean; events: { type: string; streamId?: string }[] };
  code?: string;
  field?: string | null;
  messageZh?: string;
  messageEn?: string;
}

/** Reads a mutation's answer. */
export function outcomeOf(answer: Answer | null | undefined, error?: { message: string } | null): Outcome {
  if (answer?.__typename === 'Rejection') {
    return {
      kind: 'rejected',
      code: answer.code ?? 'unknown',
      field: answer.field ?? null,
      message: { zh: answer.messageZh ?? '', en: answer.messageEn ?? '' },
    };
  }
  if (answer?.data)
    return {
      kind: 'recorded',
      position: answer.data.position,
      duplicate: answer.data.duplicate,
      events: answer.data.events.map((event) => event.type),
      streams: [...new Set(answer.data.events.flatMap((event) => (event.streamId ? [event.streamId] : [])))],
    };
  return { kind: 'failed', message: error?.message ?? 'no answer' };
}

/**
 * Read models a recorded act can change: queries that read them are dropped from urql's cache
 * (and refetched if on screen), so pages show the new record after a command.
 */
export const READ_MODEL_TYPENAMES = [
  'Scorecard',
  'MandateScore',
  'StationBooks',
  'StationSummary',
  'StationSummaryConnection',
  'ComplianceReport',
  'CountyHeadlines',
  'StatisticsRowConnection',
  'ScoresByBand',
  'HandoverDossier',
  'OpenItem',
  'OpenItemConnection',
  'InheritedItemConnection',
  'PredecessorRecord',
  'PendingRecordConnection',
  'Person',
  'PersonConnection',
  'Training',
  'TrainingTypeCount',
  'PublicDeputyConnection',
];

/** Sends one command. */
export async function runCommand(client: Client, command: Pick<PlannedCommand, 'mutation' | 'input' | 'commandId'>): Promise<Outcome> {
  try {
    const result = await client
      .mutation(commandDocument(command.mutation), { input: { ...command.input, commandId: command.commandId } }, { additionalTypenames: READ_MODEL_TYPENAMES })
      .toPromise();
    const data = result.data as Record<string, Answer> | undefined;
    return outcomeOf(data?.[command.mutation], result.error);
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
