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
    trainingsConnection(first: 100) {
      edges {
        node {
          trainingId
          title
          date
          trainingType
          attendees
        }
      }
    }
  }
`);

/** The people bearing each name of a pasted sign-in sheet, namesakes included, with what tells them apart and their seats. */
export const PeopleNamedQuery = graphql(`
  query PeopleNamed($names: [String!]!) {
    peopleNamed(names: $names) {
      name
      people {
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
`);
