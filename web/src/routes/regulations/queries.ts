/** The GraphQL operations of /regulations (制度): the county's regulations and their versions, in the view chosen. */
import { graphql } from '$lib/gql';

export const RegulationsQuery = graphql(`
  query Regulations($asOf: AsOfInput) {
    regulations(asOf: $asOf) {
      regulationId
      title
      category
      categoryZh
      status
      version
      enactedOn
      repealedOn
      steps {
        kind
        kindZh
        version
        effectiveOn
        text
        scoring
        position
      }
    }
  }
`);
