import { describe, expect, it } from 'vitest';
import { RealtimeConfigError } from '../src/config/realtime-config.error.js';
import { resolveRealtimeOptions } from '../src/options/resolve-realtime-options.js';

describe('observability options', () => {
  it('defaults to on when an SDK is registered (auto), with traces, without room names', () => {
    expect(resolveRealtimeOptions({}).observability).toEqual({ enabled: 'auto', traces: true, roomNames: false });
    expect(resolveRealtimeOptions({ observability: {} }).observability).toEqual({ enabled: 'auto', traces: true, roomNames: false });
  });

  it.each([true, false, 'auto'] as const)('keeps enabled: %j', (enabled) => {
    expect(resolveRealtimeOptions({ observability: { enabled } }).observability.enabled).toBe(enabled);
  });

  it('keeps traces and roomNames as given', () => {
    expect(resolveRealtimeOptions({ observability: { enabled: true, traces: false, roomNames: true } }).observability).toEqual({
      enabled: true,
      traces: false,
      roomNames: true,
    });
  });

  it.each([
    [{ observability: { enabled: 'yes' } }, 'observability.enabled'],
    [{ observability: { enabled: 'AUTO' } }, 'observability.enabled'],
    [{ observability: { enabled: 1 } }, 'observability.enabled'],
    [{ observability: { enabled: null } }, 'observability.enabled'],
    [{ observability: { traces: 'false' } }, 'observability.traces'],
    [{ observability: { traces: 0 } }, 'observability.traces'],
    [{ observability: { roomNames: 1 } }, 'observability.roomNames'],
    [{ observability: { enable: true } }, 'enable'],
    [{ observability: { trace: false } }, 'trace'],
    [{ observability: true }, 'observability'],
  ])('refuses %j at boot, naming the option', (options, named) => {
    const resolve = () => resolveRealtimeOptions(options as never);
    expect(resolve).toThrow(RealtimeConfigError);
    expect(resolve).toThrow(named);
  });

  it("says what enabled accepts", () => {
    expect(() => resolveRealtimeOptions({ observability: { enabled: 'yes' as never } })).toThrow(`expected true, false or 'auto'`);
  });
});
