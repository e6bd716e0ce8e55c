/** The GraphQL operations of the station list (/stations). */
import { graphql } from '$lib/gql';

/** Every station's township, for the filter's options. */
export const StationTownshipsQuery = graphql(`
  query StationTownships($asOf: AsOfInput, $after: String) {
    stations(asOf: $asOf, first: 100, after: $after) {
      edges {
        node {
          township
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const StationListQuery = graphql(`
  query StationList($township: String, $asOf: AsOfInput, $after: String) {
    stations(township: $township, asOf: $asOf, first: 30, after: $after) {
      totalCount
      edges {
        node {
          stationId
          name
          township
          type
          address
          establishedOn
          closedOn
          manager {
            personId
            name
          }
          counts {
            deputies
            receptions
            votersReceived
            opinions
            openOpinions
            stationVisits
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
