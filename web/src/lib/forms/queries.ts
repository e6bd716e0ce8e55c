/** The GraphQL operations the form engine's pickers use (people, stations, open opinions). */
import { graphql } from '../gql';

/** People whose name contains the text, with their seats (to pick the one they acted in). */
export const PersonSearchQuery = graphql(`
  query PersonSearch($search: String) {
    peopleConnection(first: 8, search: $search) {
      totalCount
      edges {
        node {
          id
          name
          mandates {
            id
            termNumber
            kind
            level
            township
            startsOn
            validTo
          }
        }
      }
    }
  }
`);

/** One person with their seats (the signed-in deputy, who declares their own acts). */
export const PersonChoiceQuery = graphql(`
  query PersonChoice($id: ID!) {
    person(id: $id) {
      id
      name
      mandates {
        id
        termNumber
        kind
        level
        township
        startsOn
        validTo
      }
    }
  }
`);

/** The stations, a page at a time (for the station pickers). */
export const StationOptionsQuery = graphql(`
  query StationOptions($after: String) {
    stations(first: 100, after: $after) {
      edges {
        node {
          stationId
          name
          township
          closedOn
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** A station's opinions (意见建议簿), for choosing one to handle. */
export const StationOpinionsQuery = graphql(`
  query StationOpinions($stationId: ID!, $after: String) {
    stationBooks(stationId: $stationId) {
      opinions(first: 100, after: $after) {
        edges {
          node {
            opinionId
            registeredOn
            category
            status
            agency
            deadline
            receivedBy {
              name
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
