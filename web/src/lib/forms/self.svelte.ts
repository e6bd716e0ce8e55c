/** The signed-in person as a form's person choice (with their seats), when they are in the directory. */
import type { Client } from '@urql/core';
import { runQuery, useResource, type Resource } from '../query.svelte';
import type { PersonChoice } from './engine';
import { UUID } from './ids';
import { PersonChoiceQuery } from './queries';

export function useSelf(client: Client, personId: () => string | null | undefined): Resource<PersonChoice | null> {
  return useResource(
    () => {
      const id = personId();
      return id && UUID.test(id) ? { id } : null;
    },
    async ({ id }, context) => {
      const data = await runQuery(client, PersonChoiceQuery, { id }, context.requestPolicy);
      return data.person ? { personId: data.person.personId, name: data.person.name, mandates: data.person.mandates, mandateId: null } : null;
    },
  );
}
