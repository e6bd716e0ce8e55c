/** The GraphQL operations of the audit page (/audit): the event log, the chain check and stream histories. */
import { graphql } from '$lib/gql';

export const AuditEventFragment = graphql(`
  fragment AuditEventFields on Event {
    position
    type
    streamId
    streamCategory
    streamVersion
    recordedBy {
      personId
      role
    }
    occurredAt
    recordedAt
    hash
    hashValid
    data
  }
`);

export const AuditEventsQuery = graphql(`
  query AuditEvents($filter: EventFilter, $after: String) {
    events(order: NEWEST_FIRST, first: 25, after: $after, filter: $filter) {
      edges {
        node {
          ...AuditEventFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ChainStatusQuery = graphql(`
  query ChainStatus($digest: String, $full: Boolean) {
    chainStatus(digest: $digest, full: $full) {
      ok
      count
      fullCheckAt
      checkedFrom
      headPosition
      headHash
      digest
      failure {
        position
        kind
        message
      }
    }
  }
`);

export const StreamHistoryQuery = graphql(`
  query StreamHistory($streamId: String!, $after: String, $first: Int) {
    streamHistory(streamId: $streamId, after: $after, first: $first) {
      edges {
        node {
          event {
            ...AuditEventFields
          }
          state
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** Signs a checkpoint of the log's Merkle tree now (auditors and administrators). */
export const IssueCheckpointMutation = graphql(`
  mutation IssueCheckpoint {
    issueCheckpoint {
      issued
      checkpoint {
        id
        treeSize
      }
    }
  }
`);
