import { describe, expect, it } from 'vitest';
import { RealtimeConfigError } from '../src/config/realtime-config.error.js';
import { resolveRealtimeOptions } from '../src/options/resolve-realtime-options.js';

describe('observability options', () => {
  it('defaults to off, without room names', () => {
    expect(resolveRealtimeOptions({}).observability).toEqual({ enabled: false, roomNames: false });
    expect(resolveRealtimeOptions({ observability: { enabled: true, roomNames: true } }).observability).toEqual({ enabled: true, roomNames: true });
  });

  it.each([
    [{ observability: { enabled: 'yes' } }, 'observability.enabled'],
    [{ observability: { roomNames: 1 } }, 'observability.roomNames'],
    [{ observability: { enable: true } }, 'enable'],
    [{ observability: true }, 'observability'],
  ])('refuses %j at boot, naming the option', (options, named) => {
    const resolve = () => resolveRealtimeOptions(options as never);
    expect(resolve).toThrow(RealtimeConfigError);
    expect(resolve).toThrow(named);
  });
});
