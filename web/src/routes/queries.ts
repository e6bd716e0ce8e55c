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
 * The headline figures and the five groupings the dashboard draws, in one request: the API
 * computes the groupings of the same records together (one pass over them, not five), and the
 * pages are sized to hold every group at once (the acts, every month of two terms, the townships by
 * team, the levels, the acts of each term), so no second page waits on the first. Each grouping
 * selects only the fields it is grouped by: together they stay under the API's query cost limit
 * (which also counts a fragment's fields one level deeper, so they are written out).
 */
export const DashboardFiguresQuery = graphql(`
  query DashboardFigures($asOf: AsOfInput, $termId: ID, $from: Date, $to: Date) {
    countyHeadlines(asOf: $asOf, termId: $termId, from: $from, to: $to) {
      ...HeadlineFields
    }
    byAct: countyStatistics(groupBy: [ACT], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 100) {
      edges {
        node {
          act
          personTimes
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
          month
          personTimes
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
          team
          township
          personTimes
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    byLevel: countyStatistics(groupBy: [LEVEL], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 10) {
      edges {
        node {
          level
          personTimes
          persons
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    byTermAct: countyStatistics(groupBy: [TERM, ACT], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 200) {
      edges {
        node {
          term
          act
          personTimes
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
  query CountyStatistics($groupBy: [StatisticsDimension!]!, $asOf: AsOfInput, $termId: ID, $from: Date, $to: Date, $after: String) {
    countyStatistics(groupBy: $groupBy, asOf: $asOf, termId: $termId, from: $from, to: $to, first: 500, after: $after) {
      edges {
        node {
          act
          month
          team
          township
          level
          term
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
      withheld
      bands {
        label
        count
        minScore
      }
    }
  }
`);

/**
 * How the county's station deputies stand on 月进站、季回家、年述职 in a year: per duty and period,
 * how many met it, missed it, or are still within it (the counts of each list).
 */
export const DashboardComplianceQuery = graphql(`
  query DashboardCompliance($year: Int!, $asOf: AsOfInput) {
    stationCompliance(year: $year, asOf: $asOf) {
      year
      day
      deputies(first: 1) {
        totalCount
      }
      periods {
        period
        dutyLabel
        act
        met(first: 1) {
          totalCount
        }
        missed(first: 1) {
          totalCount
        }
        pending(first: 1) {
          totalCount
        }
      }
    }
  }
`);
