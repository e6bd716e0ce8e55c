/** The commands 更正 and 撤销 send on a record where it is shown (RecordActions.svelte). */
import { graphql } from '../gql';

export const CorrectRecordCommand = graphql(`
  mutation CorrectRecordCommand($input: CorrectRecordInput!) {
    result: correctRecord(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

export const RetractRecordCommand = graphql(`
  mutation RetractRecordCommand($input: RetractRecordInput!) {
    result: retractRecord(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);
