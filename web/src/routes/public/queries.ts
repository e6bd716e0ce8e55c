/** The GraphQL operations of the public page (/public): only what the API discloses to everyone. */
import { graphql } from '$lib/gql';

export const PublicDeputiesQuery = graphql(`
  query PublicDeputies($search: String, $after: String, $year: Int!) {
    publicDeputies(first: 20, after: $after, search: $search) {
      edges {
        node {
          id
          name
          seats {
            termNumber
            level
            district
            township
            startsOn
            validTo
          }
          performance(year: $year) {
            termNumber
            year
            band
            bandWithheld
            provisional
            dutiesMet
            dutiesMissed
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
