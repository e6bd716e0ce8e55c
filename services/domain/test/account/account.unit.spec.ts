import { describe, expect, it } from 'vitest';
import { type AccountEvent, accountDecider, accountIdFor, grantHoldsOn, PASSKEY_LIMIT } from '../../src/account/index.ts';
import { fold } from '../../src/kernel/decider.ts';
import { spec } from '../spec.ts';

const accountId = accountIdFor('wangfang');
const personId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const stationId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const grantId = '16fd2706-8baf-433b-82eb-8c7fada847da';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const created: AccountEvent = { type: 'AccountCreated', data: { accountId, username: 'wangfang', displayName: '王芳', firstInstall: false } };
const linked: AccountEvent = { type: 'AccountLinkedToPerson', data: { accountId, personId } };
const managerGrant = {
  accountId,
  grantId,
  role: 'station-manager' as const,
  scope: { kind: 'station' as const, stationId },
  from: '2026-01-01',
  until: null,
};
const granted: AccountEvent = { type: 'RoleGranted', data: managerGrant };

describe('a user name', () => {
  it('names one account whatever its case', () => {
    expect(accountIdFor('WangFang')).toBe(accountId);
    expect(accountIdFor('wangfang2')).not.toBe(accountId);
  });
});

describe('when there is no account', () => {
  it('opens one, with the password an administrator gave it to be changed', () => {
    spec(accountDecider)
      .given([])
      .when({ type: 'CreateAccount', data: { accountId, username: 'wangfang', displayName: '王芳', firstInstall: false, passwordHash: HASH } })
      .then([created, { type: 'PasswordReset', data: { accountId, passwordHash: HASH } }]);
  });

  it('opens the first administrator with the password they chose', () => {
    spec(accountDecider)
      .given([])
      .when({ type: 'CreateAccount', data: { accountId, username: 'wangfang', displayName: '王芳', firstInstall: true, passwordHash: HASH } })
      .then([{ ...created, data: { ...created.data, firstInstall: true } } as AccountEvent, { type: 'PasswordSet', data: { accountId, passwordHash: HASH } }]);
  });

  it('refuses a grant', () => {
    spec(accountDecider)
      .given([])
      .when({ type: 'GrantRole', data: { ...managerGrant, stationKnown: true } })
      .thenRejects('account-not-found');
  });
});

describe('when the account exists', () => {
  it('refuses the same user name again', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'CreateAccount', data: { accountId, username: 'wangfang', displayName: '另一人', firstInstall: false, passwordHash: null } })
      .thenRejects('username-taken');
  });

  it('refuses a station manager grant before it is linked to a person', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'GrantRole', data: { ...managerGrant, stationKnown: true } })
      .thenRejects('account-not-linked');
  });

  it('grants staff for the county without a person', () => {
    const data = { ...managerGrant, role: 'staff' as const, scope: { kind: 'county' as const } };
    spec(accountDecider)
      .given([created])
      .when({ type: 'GrantRole', data: { ...data, stationKnown: true } })
      .then([{ type: 'RoleGranted', data }]);
  });

  it('refuses a station scope for a role other than station manager', () => {
    spec(accountDecider)
      .given([created, linked])
      .when({ type: 'GrantRole', data: { ...managerGrant, role: 'staff', stationKnown: true } })
      .thenRejects('scope-not-for-role');
  });

  it('refuses a link to a person the directory does not know', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'LinkAccountToPerson', data: { accountId, personId, personKnown: false } })
      .thenRejects('person-not-found');
  });
});

describe('when the account is linked to a person', () => {
  it('grants a station manager one station', () => {
    spec(accountDecider)
      .given([created, linked])
      .when({ type: 'GrantRole', data: { ...managerGrant, stationKnown: true } })
      .then([granted]);
  });

  it('refuses a station that does not exist', () => {
    spec(accountDecider)
      .given([created, linked])
      .when({ type: 'GrantRole', data: { ...managerGrant, stationKnown: false } })
      .thenRejects('station-not-found');
  });

  it('refuses a grant ending before it starts', () => {
    spec(accountDecider)
      .given([created, linked])
      .when({ type: 'GrantRole', data: { ...managerGrant, until: '2025-12-31', stationKnown: true } })
      .thenRejects('until-before-from');
  });

  it('refuses to link another person while it holds a role as this one', () => {
    spec(accountDecider)
      .given([created, linked, granted])
      .when({ type: 'LinkAccountToPerson', data: { accountId, personId: stationId, personKnown: true } })
      .thenRejects('account-acts-as-person');
  });
});

describe('when a grant is held', () => {
  it('revokes it from a day on, and the grant no longer holds that day', () => {
    const revoked: AccountEvent = { type: 'RoleRevoked', data: { accountId, grantId, on: '2026-06-01', reason: null } };
    spec(accountDecider)
      .given([created, linked, granted])
      .when({ type: 'RevokeRole', data: { accountId, grantId, on: '2026-06-01', reason: null } })
      .then([revoked]);
    const state = fold(accountDecider, [created, linked, granted, revoked]);
    if (state.status !== 'open') throw new Error('open');
    expect(grantHoldsOn(state.grants[0]!, '2026-05-31')).toBe(true);
    expect(grantHoldsOn(state.grants[0]!, '2026-06-01')).toBe(false);
    expect(grantHoldsOn(state.grants[0]!, '2025-12-31')).toBe(false);
  });

  it('refuses to revoke it twice', () => {
    spec(accountDecider)
      .given([created, linked, granted, { type: 'RoleRevoked', data: { accountId, grantId, on: '2026-06-01', reason: null } }])
      .when({ type: 'RevokeRole', data: { accountId, grantId, on: '2026-07-01', reason: null } })
      .thenRejects('grant-revoked');
  });
});

describe('when sign-in is locked out', () => {
  const locked: AccountEvent = { type: 'SignInLockedOut', data: { accountId, failures: 10, until: '2026-03-01T10:15:00.000Z' } };

  it('does not record the same lock-out twice', () => {
    spec(accountDecider)
      .given([created, locked])
      .when({ type: 'LockOutSignIn', data: { accountId, failures: 11, until: '2026-03-01T10:15:00.000Z' } })
      .then([]);
  });

  it('is lifted by a new password', () => {
    const state = fold(accountDecider, [created, locked, { type: 'PasswordReset', data: { accountId, passwordHash: HASH } }]);
    expect(state.status === 'open' && state.lockedUntil).toBe(null);
    expect(state.status === 'open' && state.mustChangePassword).toBe(true);
  });
});

describe('when no authenticator is enrolled', () => {
  it('records the enrolment, and nothing of the secret', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'EnrolTotp', data: { accountId } })
      .then([{ type: 'TotpEnrolled', data: { accountId } }]);
  });

  it('refuses a reset: there is nothing to reset', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'ResetTotp', data: { accountId, reason: null } })
      .thenRejects('totp-not-enrolled');
  });

  it('refuses an enrolment for an account that does not exist', () => {
    spec(accountDecider).given([]).when({ type: 'EnrolTotp', data: { accountId } }).thenRejects('account-not-found');
  });
});

describe('when an authenticator is enrolled', () => {
  const enrolled: AccountEvent = { type: 'TotpEnrolled', data: { accountId } };

  it('refuses a second enrolment over it', () => {
    spec(accountDecider).given([created, enrolled]).when({ type: 'EnrolTotp', data: { accountId } }).thenRejects('totp-enrolled');
  });

  it('is reset by an administrator, with the reason', () => {
    spec(accountDecider)
      .given([created, enrolled])
      .when({ type: 'ResetTotp', data: { accountId, reason: '手机遗失' } })
      .then([{ type: 'TotpReset', data: { accountId, reason: '手机遗失' } }]);
  });

  it('may be enrolled again after a reset', () => {
    const reset: AccountEvent = { type: 'TotpReset', data: { accountId, reason: null } };
    const before = fold(accountDecider, [created, enrolled, reset]);
    expect(before.status === 'open' && before.totpEnrolled).toBe(false);
    spec(accountDecider).given([created, enrolled, reset]).when({ type: 'EnrolTotp', data: { accountId } }).then([enrolled]);
  });
});

describe('when the account is not linked to a single sign-on identity', () => {
  const issuer = 'https://sso.example.gov.cn';
  const identity = { issuer, claim: 'preferred_username', value: 'wangfang01' };

  it('is linked to one by an administrator', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'LinkAccountToIdentityProvider', data: { accountId, ...identity } })
      .then([{ type: 'AccountLinkedToIdentityProvider', data: { accountId, ...identity } }]);
  });

  it('refuses an unlink: there is nothing to remove', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'UnlinkAccountFromIdentityProvider', data: { accountId, issuer, claim: 'preferred_username', reason: null } })
      .thenRejects('identity-not-linked');
  });

  it('refuses a link for an account that does not exist', () => {
    spec(accountDecider)
      .given([])
      .when({ type: 'LinkAccountToIdentityProvider', data: { accountId, ...identity } })
      .thenRejects('account-not-found');
  });
});

describe('when the account is linked to a single sign-on identity', () => {
  const issuer = 'https://sso.example.gov.cn';
  const identity = { issuer, claim: 'preferred_username', value: 'wangfang01' };
  const linkedIdentity: AccountEvent = { type: 'AccountLinkedToIdentityProvider', data: { accountId, ...identity } };

  it('does nothing when linked to the same identity again', () => {
    spec(accountDecider)
      .given([created, linkedIdentity])
      .when({ type: 'LinkAccountToIdentityProvider', data: { accountId, ...identity } })
      .then([]);
  });

  it('replaces the identity by another value of the same claim', () => {
    spec(accountDecider)
      .given([created, linkedIdentity])
      .when({ type: 'LinkAccountToIdentityProvider', data: { accountId, ...identity, value: 'wangfang02' } })
      .then([
        { type: 'AccountUnlinkedFromIdentityProvider', data: { accountId, ...identity, reason: null } },
        { type: 'AccountLinkedToIdentityProvider', data: { accountId, ...identity, value: 'wangfang02' } },
      ]);
  });

  it('keeps a link at another provider beside it', () => {
    const other = { issuer: 'https://sso.other.gov.cn', claim: 'staff_no', value: 'A0012' };
    spec(accountDecider)
      .given([created, linkedIdentity])
      .when({ type: 'LinkAccountToIdentityProvider', data: { accountId, ...other } })
      .then([{ type: 'AccountLinkedToIdentityProvider', data: { accountId, ...other } }]);
  });

  it('is unlinked, with the reason, and then has no identity', () => {
    const unlinked: AccountEvent = { type: 'AccountUnlinkedFromIdentityProvider', data: { accountId, ...identity, reason: '调离' } };
    spec(accountDecider)
      .given([created, linkedIdentity])
      .when({ type: 'UnlinkAccountFromIdentityProvider', data: { accountId, issuer, claim: 'preferred_username', reason: '调离' } })
      .then([unlinked]);
    const after = fold(accountDecider, [created, linkedIdentity, unlinked]);
    expect(after.status === 'open' && after.identities).toEqual([]);
  });
});

describe('when the account has no passkey', () => {
  const passkey = { accountId, credentialId: 'Y3JlZGVudGlhbC0x', publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['internal' as const], name: 'iPhone' };

  it('registers one with its public key, counter, transports and name', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'RegisterPasskey', data: passkey })
      .then([{ type: 'PasskeyRegistered', data: passkey }]);
  });

  it('refuses to remove a passkey it does not hold', () => {
    spec(accountDecider)
      .given([created])
      .when({ type: 'RemovePasskey', data: { accountId, credentialId: passkey.credentialId } })
      .thenRejects('passkey-not-found');
  });

  it('refuses a passkey for an account that does not exist', () => {
    spec(accountDecider).given([]).when({ type: 'RegisterPasskey', data: passkey }).thenRejects('account-not-found');
  });
});

describe('when a passkey is registered', () => {
  const passkey = { accountId, credentialId: 'Y3JlZGVudGlhbC0x', publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['internal' as const], name: 'iPhone' };
  const registered: AccountEvent = { type: 'PasskeyRegistered', data: passkey };
  const removed: AccountEvent = { type: 'PasskeyRemoved', data: { accountId, credentialId: passkey.credentialId } };

  it('refuses the same credential again', () => {
    spec(accountDecider)
      .given([created, registered])
      .when({ type: 'RegisterPasskey', data: { ...passkey, name: '另一部手机' } })
      .thenRejects('passkey-registered');
  });

  it('refuses a second passkey with the same name, so the holder can tell them apart', () => {
    spec(accountDecider)
      .given([created, registered])
      .when({ type: 'RegisterPasskey', data: { ...passkey, credentialId: 'Y3JlZGVudGlhbC0y' } })
      .thenRejects('passkey-name-taken');
  });

  it('removes it, and then the name and the credential are free again', () => {
    spec(accountDecider)
      .given([created, registered])
      .when({ type: 'RemovePasskey', data: { accountId, credentialId: passkey.credentialId } })
      .then([removed]);
    const state = fold(accountDecider, [created, registered, removed]);
    expect(state.status === 'open' && state.passkeys).toEqual([]);
    spec(accountDecider).given([created, registered, removed]).when({ type: 'RegisterPasskey', data: passkey }).then([registered]);
  });

  it('refuses to remove it twice', () => {
    spec(accountDecider)
      .given([created, registered, removed])
      .when({ type: 'RemovePasskey', data: { accountId, credentialId: passkey.credentialId } })
      .thenRejects('passkey-not-found');
  });
});

describe(`when the account holds ${PASSKEY_LIMIT} passkeys`, () => {
  const many: AccountEvent[] = Array.from({ length: PASSKEY_LIMIT }, (_, index) => ({
    type: 'PasskeyRegistered',
    data: { accountId, credentialId: `a2V5${index}`, publicKey: 'pQECAyYgASFYIA', counter: 0, transports: [], name: `钥匙${index}` },
  }));

  it('refuses one more until one is removed', () => {
    const next = { accountId, credentialId: 'bW9yZQ', publicKey: 'pQECAyYgASFYIA', counter: 0, transports: [], name: '再一个' };
    spec(accountDecider)
      .given([created, ...many])
      .when({ type: 'RegisterPasskey', data: next })
      .thenRejects('passkey-limit');
    spec(accountDecider)
      .given([created, ...many, { type: 'PasskeyRemoved', data: { accountId, credentialId: 'a2V50' } }])
      .when({ type: 'RegisterPasskey', data: next })
      .then([{ type: 'PasskeyRegistered', data: next }]);
  });
});
