import { describe, it } from 'vitest';
import { personDecider } from '../src/person/decider.ts';
import { spec } from './spec.ts';

const data = { personId: '0f8fad5b-d9cb-469f-a165-70867728950e', name: '张三', gender: 'male' as const, publicServant: false };

describe('when the person is unknown', () => {
  it('registers them', () => {
    spec(personDecider)
      .given([])
      .when({ type: 'RegisterPerson', data })
      .then([{ type: 'PersonRegistered', data }]);
  });
});

describe('when the person is registered', () => {
  it('rejects registering them again', () => {
    spec(personDecider)
      .given([{ type: 'PersonRegistered', data }])
      .when({ type: 'RegisterPerson', data })
      .thenRejects('person-exists');
  });
});
