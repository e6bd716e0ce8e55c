/** The GraphQL operations of 我的履职 (/me): this year's duties of the signed-in deputy. */
import { graphql } from '$lib/gql';

export const MyDutiesQuery = graphql(`
  query MyDuties($personId: ID!, $year: Int!) {
    person(id: $personId) {
      personId
      name
    }
    scorecard(personId: $personId, year: $year) {
      mandates {
        mandateId
        kind
        years {
          year
          duties {
            id
            label
            met
            missed
            pending
          }
        }
      }
    }
  }
`);
