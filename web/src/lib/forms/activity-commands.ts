/**
 * Organising an activity with everyone on it in one append: sent by /record's form and by the
 * training page's sign-in sheet, so it lives here rather than in either route.
 */
import { graphql } from '../gql';

export const OrganiseActivityWithParticipantsCommand = graphql(`
  mutation OrganiseActivityWithParticipantsCommand($input: OrganiseActivityWithParticipantsInput!) {
    result: organiseActivityWithParticipants(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);
