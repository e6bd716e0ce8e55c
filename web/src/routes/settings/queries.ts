/** The GraphQL operations of /settings (设置): what the county holds so far. */
import { graphql } from '$lib/gql';

export const SettingsQuery = graphql(`
  query Settings {
    terms {
      termId
      number
      startsOn
      plannedEndOn
      closedOn
    }
    stations(first: 100) {
      totalCount
      edges {
        node {
          stationId
          name
          type
          township
          address
          establishedOn
        }
      }
    }
  }
`);
