/**
 * 我的账户: who I am signed in as, my roles today, my authenticator app (required for administrators
 * and auditors: enrolled here with a QR code and a code), my passkeys (added through
 * account/passkeys/+server.ts, removed here), my password, and the devices signed in (退出其他设备).
 */
import { fail, redirect } from '@sveltejs/kit';
import { type AccountView, callApi, clientOf, field, type GrantView, type MutationAnswer, outcomeOf, type SessionView } from '$lib/server/accounts';

interface PasskeyView {
  id: string;
  name: string;
  registeredAt: string;
  lastUsedAt: string | null;
}
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

const MINE = `{ myAccount {
  totpRequired
  account { username displayName personName mustChangePassword totpEnrolled totpEnrolledAt
    grantsToday { id roleLabelZh role scopeKind township stationName from until } }
  sessions { id createdAt lastSeenAt userAgent address current }
  passkeys { id name registeredAt lastUsedAt } } }`;

export const load: PageServerLoad = async (event) => {
  const answer = await callApi<{ myAccount: { account: AccountView & { grantsToday: GrantView[] }; sessions: SessionView[] } | null }>(
    MINE,
    {},
    clientOf(event),
    event.fetch,
  );
  return {
    mine: (answer.data?.myAccount ?? null) as {
      account: AccountView & { grantsToday: GrantView[] };
      sessions: SessionView[];
      totpRequired: boolean;
      passkeys: PasskeyView[];
    } | null,
  };
};

const BEGIN = `mutation { beginTotpEnrolment { __typename ... on BeginTotpEnrolmentResult { data { secret uri } } ... on Rejection { code messageZh messageEn } } }`;

/** The secret to enrol with (the same one until confirmed), or why not. */
async function begin(event: Parameters<Actions[string]>[0]) {
  const answer = await callApi<{ beginTotpEnrolment: MutationAnswer<{ secret: string; uri: string }> }>(BEGIN, {}, clientOf(event), event.fetch);
  return answer.data ? outcomeOf(answer.data.beginTotpEnrolment) : { ok: false as const, rejection: answer.error! };
}

export const actions: Actions = {
  totpBegin: async (event) => {
    const begun = await begin(event);
    if (!begun.ok) return fail(400, { action: 'totp', ...begun.rejection });
    return { action: 'totp', ...begun.data };
  },
  totpConfirm: async (event) => {
    const form = await event.request.formData();
    const code = field(form, 'code');
    const answer = await callApi<{ confirmTotpEnrolment: MutationAnswer<boolean> }>(
      `mutation($code: String!) { confirmTotpEnrolment(code: $code) {
        __typename ... on ConfirmTotpEnrolmentResult { data } ... on Rejection { code messageZh messageEn } } }`,
      { code },
      clientOf(event),
      event.fetch,
    );
    const outcome = answer.data ? outcomeOf(answer.data.confirmTotpEnrolment) : { ok: false as const, rejection: answer.error! };
    if (!outcome.ok) {
      // The QR code stays on the page for another try.
      const begun = await begin(event);
      return fail(400, { action: 'totp', ...(begun.ok ? begun.data : {}), ...outcome.rejection });
    }
    // Enrolled: the session now acts with its roles; the page loads afresh with them.
    redirect(303, '/account?totp=enrolled');
  },
  password: async (event) => {
    const form = await event.request.formData();
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirm') ?? '')) {
      return fail(400, { action: 'password', messageZh: '两次输入的新密码不一致', messageEn: 'The new passwords differ' });
    }
    const answer = await callApi<{ changePassword: MutationAnswer<boolean> }>(
      `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) {
        __typename ... on ChangePasswordResult { data } ... on Rejection { code messageZh messageEn } } }`,
      { c: currentPassword, n: newPassword },
      clientOf(event),
      event.fetch,
    );
    const outcome = outcomeOf(answer.data?.changePassword);
    if (!outcome.ok) return fail(400, { action: 'password', ...outcome.rejection });
    return { action: 'password', done: true };
  },
  others: async (event) => {
    const answer = await callApi<{ signOutOtherDevices: MutationAnswer<number> }>(
      `mutation { signOutOtherDevices { __typename ... on SignOutOtherDevicesResult { data } ... on Rejection { code messageZh messageEn } } }`,
      {},
      clientOf(event),
      event.fetch,
    );
    const outcome = outcomeOf<number>(answer.data?.signOutOtherDevices);
    if (!outcome.ok) return fail(400, { action: 'others', ...outcome.rejection });
    return { action: 'others', done: true, count: outcome.data };
  },
  passkeyRemove: async (event) => {
    const form = await event.request.formData();
    const answer = await callApi<{ removePasskey: MutationAnswer<boolean> }>(
      `mutation($id: ID!) { removePasskey(id: $id) { __typename ... on RemovePasskeyResult { data } ... on Rejection { code messageZh messageEn } } }`,
      { id: String(form.get('id') ?? '') },
      clientOf(event),
      event.fetch,
    );
    const outcome = outcomeOf<boolean>(answer.data?.removePasskey);
    if (!outcome.ok) return fail(400, { action: 'passkey', ...outcome.rejection });
    // Signed in with the passkey removed: this device's session ended with it.
    const viewer = await askViewer(apiGraphqlUrl(), event.cookies.get(SESSION_COOKIE), event.fetch);
    if (!viewer.ok && viewer.status === 401) {
      event.cookies.delete(SESSION_COOKIE, { path: '/' });
      redirect(303, '/login?reason=expired');
    }
    return { action: 'passkey', done: true };
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const answer = await callApi<{ revokeMySession: MutationAnswer<number> }>(
      `mutation($id: ID!) { revokeMySession(id: $id) { __typename ... on RevokeMySessionResult { data } ... on Rejection { code messageZh messageEn } } }`,
      { id: String(form.get('sessionId') ?? '') },
      clientOf(event),
      event.fetch,
    );
    const outcome = outcomeOf<number>(answer.data?.revokeMySession);
    if (!outcome.ok) return fail(400, { action: 'revoke', ...outcome.rejection });
    return { action: 'revoke', done: true };
  },
};
