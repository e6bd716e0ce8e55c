/** The GraphQL operations of the county dashboard (/). Every one reads at the header's `asOf`. */
import { graphql } from '$lib/gql';

/** The terms, from the mandates of the first hundred people (the schema has no list of terms). */
export const DashboardTermsQuery = graphql(`
  query DashboardTerms($asOf: AsOfInput) {
    peopleConnection(first: 100) {
      edges {
        node {
          mandates(asOf: $asOf) {
            termId
            termNumber
            startsOn
            plannedEndOn
            validTo
          }
        }
      }
    }
  }
`);

export const CountyHeadlinesQuery = graphql(`
  query CountyHeadlines($asOf: AsOfInput, $termId: ID, $from: String, $to: String) {
    countyHeadlines(asOf: $asOf, termId: $termId, from: $from, to: $to) {
      trainingPersonTimes
      committeeTrainingPersonTimes
      supervisionPersonTimes
      committeeMeetingAttendees
      consultationRecommendations
      stationsOpen
      stationsEstablished
      stationsClosed
      regulationsRevised
      regulationsEnacted
      regulationsAmended
      regulationsRepealed
      regulationsInForce
    }
  }
`);

export const CountyStatisticsQuery = graphql(`
  query CountyStatistics($groupBy: [StatisticsDimension!]!, $asOf: AsOfInput, $termId: ID, $from: String, $to: String, $after: String) {
    countyStatistics(groupBy: $groupBy, asOf: $asOf, termId: $termId, from: $from, to: $to, first: 100, after: $after) {
      edges {
        node {
          act
          month
          team
          township
          personTimes
          persons
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ScoreBandsQuery = graphql(`
  query ScoreBands($year: Int!, $asOf: AsOfInput) {
    scoreBands(year: $year, asOf: $asOf) {
      year
      scored
      provisional
      bands {
        label
        count
        minScore
      }
    }
  }
`);
