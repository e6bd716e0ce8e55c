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
