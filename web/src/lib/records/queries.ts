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

/**
 * What the lists of a seat's approved records show of each (a person's 履职记录, the records to correct):
 * one field list for both. The declarations awaiting review are another type (`PendingRecord`, no interface
 * in common), so their query names its fields itself.
 */
export const RecordEntryFieldsFragment = graphql(`
  fragment RecordEntryFields on PredecessorRecordEntry {
    recordId
    streamId
    act
    date
    stationId
    activityId
    declared
    corrected
    summary
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
