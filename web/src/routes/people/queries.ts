/** The GraphQL operations of the people list (/people). */
import { graphql } from '$lib/gql';

export const PeoplePageQuery = graphql(`
  query PeoplePage($search: String, $after: String, $asOf: AsOfInput) {
    peopleConnection(first: 20, after: $after, search: $search) {
      totalCount
      edges {
        cursor
        node {
          id
          personId
          name
          publicServant
          mandates(asOf: $asOf) {
            mandateId
            termNumber
            kind
            level
            township
            startsOn
            validTo
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
