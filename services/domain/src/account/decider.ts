/** An account's stream: `account:<id>`, the id named after the user name (one stream per name, so a name is taken once). */
import { createHash } from 'node:crypto';
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { AccountEvent, GrantableRole, GrantScope, PasskeyTransport } from './events.ts';

export const accountStream = (accountId: string) => `account:${accountId}`;

/** The account id a user name stands for (a name-based UUID): two accounts can never share a name. */
export function accountIdFor(username: string): string {
  const bytes = createHash('sha1').update(`yingpan-account\u0000${username.toLowerCase()}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Roles that act as a person of the directory: their account must be linked to one first. */
export const PERSONAL_GRANT_ROLES: readonly GrantableRole[] = ['deputy', 'station-manager', 'committee-member'];

export interface Grant {
  grantId: string;
  role: GrantableRole;
  scope: GrantScope;
  from: string;
  until: string | null;
  /** The day it stopped holding, if revoked. */
  revokedOn: string | null;
}

/** An identity at a single sign-on provider an account is linked to. */
export interface LinkedIdentity {
  issuer: string;
  claim: string;
  value: string;
}

export type AccountState =
  | { status: 'none' }
  | {
      status: 'open';
      accountId: string;
      username: string;
      displayName: string;
      personId: string | null;
      passwordHash: string | null;
      /** Set by an administrator's reset: the holder should choose their own. */
      mustChangePassword: boolean;
      grants: Grant[];
      lockedUntil: string | null;
      /** An authenticator app is enrolled: sign-in asks for its code. */
      totpEnrolled: boolean;
      /** Identities at single sign-on providers that sign in to it (one per provider and claim). */
      identities: LinkedIdentity[];
      /** The passkeys registered and not removed, in the order registered. */
      passkeys: { credentialId: string; name: string }[];
    };

/** Passkeys one account may hold at once (a phone or two, a security key, a spare). */
export const PASSKEY_LIMIT = 10;

/** Does the grant hold on `day` (YYYY-MM-DD)? */
export const grantHoldsOn = (grant: Grant, day: string): boolean =>
  grant.from <= day && (grant.until === null || grant.until >= day) && (grant.revokedOn === null || grant.revokedOn > day);

export type AccountCommand =
  | Command<'CreateAccount', { accountId: string; username: string; displayName: string; firstInstall: boolean; passwordHash: string | null }>
  | Command<'LinkAccountToPerson', { accountId: string; personId: string; personKnown: boolean }>
  | Command<
      'GrantRole',
      { accountId: string; grantId: string; role: GrantableRole; scope: GrantScope; from: string; until: string | null; stationKnown: boolean }
    >
  | Command<'RevokeRole', { accountId: string; grantId: string; on: string; reason: string | null }>
  | Command<'SetPassword', { accountId: string; passwordHash: string }>
  | Command<'ResetPassword', { accountId: string; passwordHash: string }>
  | Command<'LockOutSignIn', { accountId: string; failures: number; until: string }>
  | Command<'EnrolTotp', { accountId: string }>
  | Command<'ResetTotp', { accountId: string; reason: string | null }>
  | Command<'LinkAccountToIdentityProvider', { accountId: string } & LinkedIdentity>
  | Command<'UnlinkAccountFromIdentityProvider', { accountId: string; issuer: string; claim: string; reason: string | null }>
  | Command<'RegisterPasskey', { accountId: string; credentialId: string; publicKey: string; counter: number; transports: PasskeyTransport[]; name: string }>
  | Command<'RemovePasskey', { accountId: string; credentialId: string }>;

const noAccount = () => new DomainError('account-not-found', { zh: '找不到该账户', en: 'No such account' }, 'accountId');

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  category: 'account',
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    if (command.type === 'CreateAccount') {
      if (state.status !== 'none') throw new DomainError('username-taken', { zh: '该用户名已被使用', en: 'This user name is taken' }, 'username');
      const { passwordHash, ...created } = command.data;
      const events: AccountEvent[] = [{ type: 'AccountCreated', data: created }];
      if (passwordHash !== null) {
        events.push({ type: created.firstInstall ? 'PasswordSet' : 'PasswordReset', data: { accountId: created.accountId, passwordHash } });
      }
      return events;
    }
    if (state.status === 'none') throw noAccount();
    switch (command.type) {
      case 'LinkAccountToPerson': {
        const { personKnown, ...data } = command.data;
        if (!personKnown) throw new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId');
        if (state.personId === data.personId) return [];
        const personal = state.grants.some((grant) => grant.revokedOn === null && PERSONAL_GRANT_ROLES.includes(grant.role));
        if (state.personId !== null && personal) {
          throw new DomainError(
            'account-acts-as-person',
            { zh: '该账户已以另一人员身份担任角色，请先撤销这些授权', en: 'The account holds roles as another person; revoke them first' },
            'personId',
          );
        }
        return [{ type: 'AccountLinkedToPerson', data }];
      }
      case 'GrantRole': {
        const { stationKnown, ...data } = command.data;
        if (state.grants.some((grant) => grant.grantId === data.grantId)) return [];
        if (data.until !== null && data.until < data.from) {
          throw new DomainError('until-before-from', { zh: '截止日期不能早于起始日期', en: 'The grant cannot end before it starts' }, 'until');
        }
        if (PERSONAL_GRANT_ROLES.includes(data.role) && state.personId === null) {
          throw new DomainError(
            'account-not-linked',
            { zh: '该角色须以本人身份履职：请先将账户关联到人员', en: 'This role acts as a person: link the account to one first' },
            'role',
          );
        }
        if (data.scope.kind !== 'county' && data.role !== 'station-manager') {
          throw new DomainError(
            'scope-not-for-role',
            { zh: '只有站点负责人可限定到乡镇或站点', en: 'Only a station manager is granted for a township or a station' },
            'scope',
          );
        }
        if (data.scope.kind === 'station' && !stationKnown)
          throw new DomainError('station-not-found', { zh: '找不到该代表家站', en: 'No such deputy station' }, 'scope');
        return [{ type: 'RoleGranted', data }];
      }
      case 'RevokeRole': {
        const grant = state.grants.find((candidate) => candidate.grantId === command.data.grantId);
        if (!grant) throw new DomainError('grant-not-found', { zh: '找不到该授权', en: 'No such grant' }, 'grantId');
        if (grant.revokedOn !== null) throw new DomainError('grant-revoked', { zh: '该授权已撤销', en: 'The grant is already revoked' }, 'grantId');
        return [{ type: 'RoleRevoked', data: command.data }];
      }
      case 'SetPassword':
        return [{ type: 'PasswordSet', data: command.data }];
      case 'ResetPassword':
        return [{ type: 'PasswordReset', data: command.data }];
      case 'LockOutSignIn':
        if (state.lockedUntil !== null && state.lockedUntil >= command.data.until) return [];
        return [{ type: 'SignInLockedOut', data: command.data }];
      case 'EnrolTotp':
        if (state.totpEnrolled) {
          throw new DomainError(
            'totp-enrolled',
            {
              zh: '已绑定身份验证器；如需更换，请联系系统管理员重置',
              en: 'An authenticator is enrolled already; ask an administrator to reset it to change it',
            },
            'code',
          );
        }
        return [{ type: 'TotpEnrolled', data: command.data }];
      case 'ResetTotp':
        if (!state.totpEnrolled) {
          throw new DomainError('totp-not-enrolled', { zh: '该账户尚未绑定身份验证器', en: 'The account has no authenticator enrolled' }, 'accountId');
        }
        return [{ type: 'TotpReset', data: command.data }];
      case 'LinkAccountToIdentityProvider': {
        const { accountId, issuer, claim, value } = command.data;
        const linked = state.identities.find((identity) => identity.issuer === issuer && identity.claim === claim);
        if (linked?.value === value) return [];
        // One identity per provider and claim: a new value replaces the old one.
        const events: AccountEvent[] = linked ? [{ type: 'AccountUnlinkedFromIdentityProvider', data: { accountId, ...linked, reason: null } }] : [];
        return [...events, { type: 'AccountLinkedToIdentityProvider', data: { accountId, issuer, claim, value } }];
      }
      case 'UnlinkAccountFromIdentityProvider': {
        const { accountId, issuer, claim, reason } = command.data;
        const linked = state.identities.find((identity) => identity.issuer === issuer && identity.claim === claim);
        if (!linked) {
          throw new DomainError(
            'identity-not-linked',
            { zh: '该账户未关联统一身份认证账号', en: 'The account is not linked to an identity at this provider' },
            'accountId',
          );
        }
        return [{ type: 'AccountUnlinkedFromIdentityProvider', data: { accountId, ...linked, reason } }];
      }
      case 'RegisterPasskey': {
        const { credentialId, name } = command.data;
        if (state.passkeys.some((passkey) => passkey.credentialId === credentialId)) {
          throw new DomainError(
            'passkey-registered',
            { zh: '这个通行密钥已添加到本账户', en: 'This passkey is registered to the account already' },
            'credentialId',
          );
        }
        if (state.passkeys.some((passkey) => passkey.name === name)) {
          throw new DomainError(
            'passkey-name-taken',
            { zh: `已有名为“${name}”的通行密钥，请换一个名称`, en: `A passkey is named “${name}” already; choose another name` },
            'name',
          );
        }
        if (state.passkeys.length >= PASSKEY_LIMIT) {
          throw new DomainError(
            'passkey-limit',
            { zh: `一个账户最多添加 ${PASSKEY_LIMIT} 个通行密钥，请先删除不用的`, en: `An account holds at most ${PASSKEY_LIMIT} passkeys; remove one first` },
            'name',
          );
        }
        return [{ type: 'PasskeyRegistered', data: command.data }];
      }
      case 'RemovePasskey':
        if (!state.passkeys.some((passkey) => passkey.credentialId === command.data.credentialId)) {
          throw new DomainError('passkey-not-found', { zh: '该账户没有这个通行密钥', en: 'The account has no such passkey' }, 'credentialId');
        }
        return [{ type: 'PasskeyRemoved', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    if (event.type === 'AccountCreated') {
      const { accountId, username, displayName } = event.data;
      return {
        status: 'open',
        accountId,
        username,
        displayName,
        personId: null,
        passwordHash: null,
        mustChangePassword: false,
        grants: [],
        lockedUntil: null,
        totpEnrolled: false,
        identities: [],
        passkeys: [],
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'AccountLinkedToPerson':
        return { ...state, personId: event.data.personId };
      case 'RoleGranted': {
        const { grantId, role, scope, from, until } = event.data;
        return { ...state, grants: [...state.grants, { grantId, role, scope, from, until, revokedOn: null }] };
      }
      case 'RoleRevoked':
        return {
          ...state,
          grants: state.grants.map((grant) => (grant.grantId === event.data.grantId ? { ...grant, revokedOn: event.data.on } : grant)),
        };
      case 'PasswordSet':
        return { ...state, passwordHash: event.data.passwordHash, mustChangePassword: false, lockedUntil: null };
      case 'PasswordReset':
        return { ...state, passwordHash: event.data.passwordHash, mustChangePassword: true, lockedUntil: null };
      case 'SignInLockedOut':
        return { ...state, lockedUntil: event.data.until };
      case 'TotpEnrolled':
        return { ...state, totpEnrolled: true };
      case 'TotpReset':
        return { ...state, totpEnrolled: false };
      case 'AccountLinkedToIdentityProvider': {
        const { issuer, claim, value } = event.data;
        return { ...state, identities: [...state.identities, { issuer, claim, value }] };
      }
      case 'AccountUnlinkedFromIdentityProvider': {
        const { issuer, claim, value } = event.data;
        return {
          ...state,
          identities: state.identities.filter((identity) => !(identity.issuer === issuer && identity.claim === claim && identity.value === value)),
        };
      }
      case 'PasskeyRegistered':
        return { ...state, passkeys: [...state.passkeys, { credentialId: event.data.credentialId, name: event.data.name }] };
      case 'PasskeyRemoved':
        return { ...state, passkeys: state.passkeys.filter((passkey) => passkey.credentialId !== event.data.credentialId) };
      default:
        return assertNever(event);
    }
  },
};
