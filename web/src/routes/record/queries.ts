/** The GraphQL operations of /record: pending declarations a station's books show, and a seat's records to correct. */
import { graphql } from '$lib/gql';

export const ReviewRecordFragment = graphql(`
  fragment ReviewRecord on BookRecord {
    recordId
    date
    act
    personId
    name
    summary
    status
    stationId
  }
`);

/** 活动簿: station visits and duty reports at the station (declared ones are PENDING until reviewed). */
export const ReviewActivitiesQuery = graphql(`
  query ReviewActivities($stationId: ID!, $after: String) {
    stationBooks(stationId: $stationId) {
      activities(first: 100, after: $after) {
        edges {
          node {
            ...ReviewRecord
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

/** 接待选民簿: each deputy's attendance record at a reception, with its review status. */
export const ReviewReceptionsQuery = graphql(`
  query ReviewReceptions($stationId: ID!, $after: String) {
    stationBooks(stationId: $stationId) {
      receptions(first: 100, after: $after) {
        edges {
          node {
            receptionId
            heldOn
            topics
            deputies {
              personId
              name
              recordId
              status
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

/** 履职簿: the rostered deputies' records while assigned (home visits are only here). */
export const ReviewDutyQuery = graphql(`
  query ReviewDuty($stationId: ID!) {
    stationBooks(stationId: $stationId) {
      duty {
        personId
        name
        records(first: 100) {
          edges {
            node {
              ...ReviewRecord
            }
          }
        }
      }
    }
  }
`);

/** A seat's approved records with the data their events stated (to correct one). */
export const SeatRecordsQuery = graphql(`
  query SeatRecords($mandateId: ID!, $after: String) {
    predecessorRecord(mandateId: $mandateId) {
      records(first: 100, after: $after) {
        totalCount
        edges {
          node {
            recordId
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
