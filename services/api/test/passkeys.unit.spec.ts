import { describe, expect, it } from 'vitest';
import { relyingPartyFrom } from '../src/auth-passkeys.ts';
import { configFromEnv } from '../src/runtime.ts';

describe('the site passkeys are made for', () => {
  it('is the web’s own origin and host name when nothing else is said', () => {
    expect(relyingPartyFrom({ webUrl: 'http://localhost:3000/' })).toEqual({ id: 'localhost', origins: ['http://localhost:3000'], name: '营盘' });
    const config = configFromEnv({ PORT: '3100' });
    expect(relyingPartyFrom({ origins: config.passkeyOrigins, rpId: config.passkeyRpId, webUrl: config.webUrl! })).toMatchObject({
      id: 'localhost',
      origins: ['http://localhost:3100'],
    });
  });

  it('takes the origins listed and the RP ID given', () => {
    const config = configFromEnv({
      WEB_URL: 'http://10.0.0.5:3000',
      YINGPAN_PASSKEY_ORIGINS: 'https://rd.example.gov.cn, https://m.rd.example.gov.cn/login',
      YINGPAN_PASSKEY_RP_ID: 'rd.example.gov.cn',
    });
    expect(relyingPartyFrom({ origins: config.passkeyOrigins, rpId: config.passkeyRpId, webUrl: config.webUrl! })).toEqual({
      id: 'rd.example.gov.cn',
      origins: ['https://rd.example.gov.cn', 'https://m.rd.example.gov.cn'],
      name: '营盘',
    });
    // Without an RP ID, the first origin's host name.
    expect(relyingPartyFrom({ origins: 'https://rd.example.gov.cn', webUrl: 'http://localhost:3000' }).id).toBe('rd.example.gov.cn');
  });

  it('refuses an origin that is not an address', () => {
    expect(() => relyingPartyFrom({ origins: 'not an origin', webUrl: 'http://localhost:3000' })).toThrow(/YINGPAN_PASSKEY_ORIGINS.*not an origin/);
  });
});
