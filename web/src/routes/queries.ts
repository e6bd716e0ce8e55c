/** The GraphQL operations of the county dashboard (/). Every one reads at the header's `asOf`. */
import { graphql } from '$lib/gql';

/** The headline figures (the cards above the charts). */
export const HeadlineFieldsFragment = graphql(`
  fragment HeadlineFields on CountyHeadlines {
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
`);

/**
 * The headline figures and the three groupings the dashboard draws, in one request: the API
 * computes the four groupings of the same records together (one pass over them, not four), and the
 * pages are sized to hold every group at once (the acts, every month of two terms, the townships by
 * team), so no second page waits on the first; together they stay under the API's query cost limit.
 * The groupings' selections are written out, not spread from a fragment: the API's cost analysis
 * counts a fragment's fields one level deeper (×1.5), which would put this request over the limit.
 */
export const DashboardFiguresQuery = graphql(`
  query DashboardFigures($asOf: AsOfInput, $termId: ID, $from: String, $to: String) {
    countyHeadlines(asOf: $asOf, termId: $termId, from: $from, to: $to) {
      ...HeadlineFields
    }
    byAct: countyStatistics(groupBy: [ACT], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 100) {
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
    byMonth: countyStatistics(groupBy: [MONTH], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 200) {
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
    byTeamTownship: countyStatistics(groupBy: [TEAM, TOWNSHIP], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 200) {
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

/** One grouping, a page at a time (the pages after the first of DashboardFigures, should there be any). */
export const CountyStatisticsQuery = graphql(`
  query CountyStatistics($groupBy: [StatisticsDimension!]!, $asOf: AsOfInput, $termId: ID, $from: String, $to: String, $after: String) {
    countyStatistics(groupBy: $groupBy, asOf: $asOf, termId: $termId, from: $from, to: $to, first: 500, after: $after) {
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
