/** The GraphQL operations the form engine's pickers use (people, stations, open opinions). */
import { graphql } from '../gql';

/**
 * People a picker's text finds (characters inside a name, or pinyin: `zs` finds 张三), best
 * matches first, a page at a time, optionally only those holding a seat the filters describe; with
 * what tells namesakes apart (gender, seats) and the seats to pick the one they acted in.
 */
export const PersonSearchQuery = graphql(`
  query PersonSearch($query: String, $first: Int, $after: String, $filters: PeopleSearchFilters) {
    peopleSearch(query: $query, first: $first, after: $after, filters: $filters) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        exact
        node {
          personId
          name
          gender
          mandates {
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
    }
  }
`);

/** One person with their seats (the signed-in deputy, who declares their own acts). */
export const PersonChoiceQuery = graphql(`
  query PersonChoice($id: ID!) {
    person(id: $id) {
      personId
      name
      mandates {
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
