/**
 * The GraphQL documents the web client sends, copied verbatim (whitespace aside) from
 * web/src/routes/queries.ts (the county dashboard, /), web/src/routes/stations/queries.ts (the
 * station list) and web/src/routes/stations/[id=uuid]/queries.ts (a station's compliance), with
 * the variables the pages send in their default view (today, no term, no year chosen). Copied,
 * not imported: the web package compiles them with its own codegen.
 */

export const DASHBOARD_TERMS = /* GraphQL */ `
  query DashboardTerms($asOf: AsOfInput) {
    peopleConnection(first: 100) {
      edges { node { mandates(asOf: $asOf) { termId termNumber startsOn plannedEndOn validTo } } }
    }
  }`;

export const COUNTY_HEADLINES = /* GraphQL */ `
  query CountyHeadlines($asOf: AsOfInput, $termId: ID, $from: String, $to: String) {
    countyHeadlines(asOf: $asOf, termId: $termId, from: $from, to: $to) {
      trainingPersonTimes committeeTrainingPersonTimes supervisionPersonTimes committeeMeetingAttendees
      consultationRecommendations stationsOpen stationsEstablished stationsClosed regulationsRevised
      regulationsEnacted regulationsAmended regulationsRepealed regulationsInForce
    }
  }`;

export const COUNTY_STATISTICS = /* GraphQL */ `
  query CountyStatistics($groupBy: [StatisticsDimension!]!, $asOf: AsOfInput, $termId: ID, $from: String, $to: String, $after: String) {
    countyStatistics(groupBy: $groupBy, asOf: $asOf, termId: $termId, from: $from, to: $to, first: 100, after: $after) {
      edges { node { act month team township personTimes persons } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const SCORE_BANDS = /* GraphQL */ `
  query ScoreBands($year: Int!, $asOf: AsOfInput) {
    scoreBands(year: $year, asOf: $asOf) { year scored provisional bands { label count minScore } }
  }`;

export const STATION_LIST = /* GraphQL */ `
  query StationList($township: String, $asOf: AsOfInput, $after: String) {
    stations(township: $township, asOf: $asOf, first: 30, after: $after) {
      totalCount
      edges {
        node {
          stationId name township type address establishedOn closedOn
          manager { personId name }
          counts { deputies receptions votersReceived opinions openOpinions stationVisits }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const STATION_COMPLIANCE = /* GraphQL */ `
  query StationCompliance($stationId: ID!, $year: Int!, $asOf: AsOfInput, $after: String) {
    stationCompliance(stationId: $stationId, year: $year, asOf: $asOf) {
      year day
      periods { period dutyLabel act }
      deputies(first: 100, after: $after) {
        totalCount
        edges { node { personId name level met missed cells { period dutyLabel status required recordIds } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

/** The trivial baseline: answered from the bearer token alone, no database. */
export const ME = /* GraphQL */ `{ me { role } }`;

/**
 * The read models the dashboard's queries read (statistics and headlines: facts, mandates,
 * county_registry; score bands: scoring_rules; the term list: directory); a live dashboard would
 * subscribe to their changes and refetch.
 */
export const DASHBOARD_MODELS = ['facts', 'mandates', 'scoring_rules', 'county_registry', 'directory'];

export const DASHBOARD_LIVE = /* GraphQL */ `
  subscription DashboardLive($names: [String!]) { projectionChanged(names: $names) { name position } }`;

export const LOG_HEAD = /* GraphQL */ `subscription LogHead { logHead { position hash } }`;
