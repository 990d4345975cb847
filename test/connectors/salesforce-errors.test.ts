import { describe, expect, it } from 'vitest';
import { recordError, redact, toFailure } from '../../connectors/salesforce/salesforce-errors.ts';
import { parse } from '../../connectors/salesforce/salesforce-responses.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

// Shaped like a Salesforce session id (org id, '!', secret) to exercise the pattern redaction; built at run time so
// that no token-shaped literal sits in the tree.
const TOKEN = ['00D000000000001', 'AQ8AQFakeSessionTokenValue'].join('!');

describe('Salesforce error translation', () => {
  it('maps Salesforce codes onto the closed set, keeping the code and fields', () => {
    expect(
      recordError({ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' }, []),
    ).toEqual({
      kind: 'conflict',
      code: 'DUPLICATES_DETECTED',
      message: 'Use one of these records?',
    });
    expect(
      recordError({ errorCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Title'] }, []),
    ).toMatchObject({
      kind: 'invalid',
      fields: ['Title'],
    });
    const table = [
      ['INVALID_SESSION_ID', 'auth'],
      ['ENTITY_IS_DELETED', 'not-found'],
      ['UNABLE_TO_LOCK_ROW', 'unavailable'],
      ['REQUEST_LIMIT_EXCEEDED', 'rate-limited'],
      ['ERROR_HTTP_503', 'unavailable'],
      ['MALFORMED_QUERY', 'invalid'],
    ];
    for (const [code, kind] of table) {
      expect(toFailure(Object.assign(new Error('x'), { name: code, errorCode: code }), [])).toMatchObject({
        kind,
        code,
      });
    }
  });

  it('treats socket errors as unavailable', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
    });
    const failure = toFailure(reset, []);
    expect(failure).toBeInstanceOf(ConnectorFailure);
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'ECONNRESET', retryable: true });
  });

  it("treats the token endpoint's passing failure (unknown_error, retry your request) as unavailable", () => {
    // jsforce throws an OAuth error named after the answer's `error`, with its description as the message.
    const oauth = Object.assign(new Error('retry your request'), { name: 'unknown_error' });
    expect(toFailure(oauth, [])).toMatchObject({
      kind: 'unavailable',
      code: 'unknown_error',
      retryable: true,
    });
  });

  it('never lets a secret through, even when a provider message quotes it', () => {
    const echoed = Object.assign(new Error(`<html>Bad session ${TOKEN} for Bearer ${TOKEN}</html>`), {
      errorCode: 'ERROR_HTTP_400',
    });
    const failure = toFailure(echoed, ['s3cret-password', TOKEN]);
    expect(failure.message).not.toContain(TOKEN);
    expect(redact('password s3cret-password and <sessionId>abc</sessionId>', ['s3cret-password'])).toBe(
      'password [redacted] and <sessionId>[redacted]</sessionId>',
    );
    // An unknown session token of Salesforce's shape is caught even when it is not in the list.
    expect(redact(`token ${TOKEN}`, [])).toBe('token [redacted]');
  });

  it('refuses an answer of an unexpected shape where jsforce hands it over', () => {
    expect(() => parse.queryPage('<html>Service Unavailable</html>')).toThrow(
      expect.objectContaining({ kind: 'unavailable', code: 'UNEXPECTED_RESPONSE' }),
    );
    expect(() => parse.saveResults([{ success: 'yes', errors: [] }])).toThrow(/0\.success/);
    expect(parse.convertResults({ success: true, contactId: '003', errors: [] })).toEqual([
      { success: true, contactId: '003', errors: [] },
    ]);
  });
});
