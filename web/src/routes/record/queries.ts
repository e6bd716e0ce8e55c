/** The GraphQL operations of /record: a seat's records to correct. */
import { graphql } from '$lib/gql';

/** A seat's approved records, newest first (to correct or retract one). */
export const SeatRecordsQuery = graphql(`
  query SeatRecords($mandateId: ID!, $after: String) {
    predecessorRecord(mandateId: $mandateId) {
      records(first: 100, after: $after, order: NEWEST_FIRST) {
        totalCount
        edges {
          node {
            ...RecordEntryFields
            eventType
            data
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
