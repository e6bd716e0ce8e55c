/** The GraphQL operations of records: the declarations awaiting review (待审核), and the record as it stands, to correct or retract it. */
import { graphql } from '$lib/gql';

export const ActRecordQuery = graphql(`
  query ActRecord($recordId: ID!) {
    actRecord(recordId: $recordId) {
      recordId
      streamId
      eventType
      act
      date
      status
      declared
      corrected
      person {
        personId
        name
      }
      data
    }
  }
`);

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
