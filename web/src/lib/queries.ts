/** GraphQL operations shared by the layout (typed by codegen's client preset). */
import { graphql } from './gql';

/** The newest log position, as a hint for the "as it was known" control (SQL stores only). */
export const LatestPositionQuery = graphql(`
  query LatestPosition {
    events(order: NEWEST_FIRST, first: 1) {
      edges {
        node {
          position
        }
      }
    }
  }
`);

/** Every term opened in the view, newest first, and whether it had closed (the term pickers). */
export const TermsQuery = graphql(`
  query Terms($asOf: AsOfInput) {
    terms(asOf: $asOf) {
      termId
      number
      startsOn
      plannedEndOn
      closedOn
    }
  }
`);

/** A read model committed more of the log (the live pages refresh what they read from it). */
export const ProjectionChangedSubscription = graphql(`
  subscription ProjectionChanged($names: [String!]) {
    projectionChanged(names: $names) {
      name
      position
    }
  }
`);
