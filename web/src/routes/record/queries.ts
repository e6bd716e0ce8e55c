/** The GraphQL operations of /record: the declarations awaiting review, and a seat's records to correct. */
import { graphql } from '$lib/gql';

/** 待审核: the declarations awaiting review, newest act first, optionally of one station. */
export const PendingRecordsQuery = graphql(`
  query PendingRecords($stationId: ID, $after: String) {
    pendingRecords(first: 50, after: $after, stationId: $stationId) {
      totalCount
      edges {
        node {
          recordId
          streamId
          act
          personId
          person {
            name
          }
          date
          summary
          stationId
          evidence {
            ...EvidenceFileFields
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

/** A seat's approved records, newest first (to correct or retract one). */
export const SeatRecordsQuery = graphql(`
  query SeatRecords($mandateId: ID!, $after: String) {
    predecessorRecord(mandateId: $mandateId) {
      records(first: 100, after: $after, order: NEWEST_FIRST) {
        totalCount
        edges {
          node {
            recordId
            streamId
            act
            date
            eventType
            activityId
            stationId
            summary
            declared
            corrected
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
