// Browser-mode connection details: the token comes from the page URL and goes into the WebSocket URL, escaped.
import { describe, expect, it } from 'vitest';
import { apiUrl, tokenFromLocation } from './api';

describe('browser connection', () => {
  it('reads the token from the query string', () => {
    expect(tokenFromLocation('?token=abc_-123')).toBe('abc_-123');
    expect(tokenFromLocation('?x=1&token=t')).toBe('t');
    expect(tokenFromLocation('')).toBeNull();
    expect(tokenFromLocation('?token=')).toBeNull();
    expect(tokenFromLocation('?token=%20%20')).toBeNull();
  });

  it('builds the API URL on the page host, ws or wss to match http or https', () => {
    expect(apiUrl({ protocol: 'http:', host: '127.0.0.1:3001' }, 'abc')).toBe('ws://127.0.0.1:3001/api?token=abc');
    expect(apiUrl({ protocol: 'https:', host: 'mira.local' }, 'a&b=c')).toBe('wss://mira.local/api?token=a%26b%3Dc');
  });
});
