import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { buildProgram } from '../main.js';

describe('reckon serve (argument checks)', () => {
  it('rejects a bad port, rate limit or API key list before opening anything', async () => {
    await expect(buildProgram().exitOverride().parseAsync(['serve', '--port', 'abc'], { from: 'user' })).rejects.toThrow(/--port: expected an integer in \[0, 65535\], got "abc"/);
    await expect(buildProgram().exitOverride().parseAsync(['serve', '--rate-limit', '-1'], { from: 'user' })).rejects.toThrow(/--rate-limit/);
    await expect(buildProgram().exitOverride().parseAsync(['serve', '--api-keys', 'short:read'], { from: 'user' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(buildProgram().exitOverride().parseAsync(['serve', '--api-keys', 'longenough:admin'], { from: 'user' })).rejects.toThrow(/unknown scope "admin"/);
  });
});
