/** The GraphQL operations of the /training page (typed by codegen's client preset). */
import { graphql } from '$lib/gql';

export const TrainingPersonTimesQuery = graphql(`
  query TrainingPersonTimes {
    trainingPersonTimes {
      trainingType
      labelZh
      labelEn
      personTimes
    }
  }
`);

export const AttendanceFormOptionsQuery = graphql(`
  query AttendanceFormOptions {
    trainings {
      id
      title
      date
      trainingType
      attendees
    }
    people {
      id
      name
    }
  }
`);

export const RecordTrainingAttendanceMutation = graphql(`
  mutation RecordTrainingAttendance($input: RecordTrainingAttendanceInput!) {
    recordTrainingAttendance(input: $input) {
      __typename
      ... on MutationRecordTrainingAttendanceSuccess {
        data {
          position
          duplicate
        }
      }
      ... on Rejection {
        code
        field
        messageZh
        messageEn
      }
    }
  }
`);
