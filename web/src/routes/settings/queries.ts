/** The GraphQL operations of /settings (设置): what the county holds so far, and opening a term or a station. */
import { graphql } from '$lib/gql';

export const SettingsQuery = graphql(`
  query Settings {
    terms {
      termId
      number
      startsOn
      plannedEndOn
      closedOn
    }
    stations(first: 100) {
      totalCount
      edges {
        node {
          stationId
          name
          type
          township
          address
          establishedOn
        }
      }
    }
  }
`);

export const OpenTermCommand = graphql(`
  mutation OpenTermCommand($input: OpenTermInput!) {
    result: openTerm(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

export const EstablishStationCommand = graphql(`
  mutation EstablishStationCommand($input: EstablishStationInput!) {
    result: establishStation(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);
