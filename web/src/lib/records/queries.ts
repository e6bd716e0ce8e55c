/** The GraphQL operations of a record's actions: the record as it stands, to correct or retract it. */
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
        id
        name
      }
      data
    }
  }
`);
