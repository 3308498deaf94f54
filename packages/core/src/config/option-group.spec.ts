import { describe, expect, it } from 'vitest';
import { defineOptionGroup } from './option-group.js';
import { checkPositiveInteger } from './option-checks.js';
import { RealtimeConfigError } from './realtime-config.error.js';

interface ExampleOptions {
  size?: number;
  label?: string;
  points: number;
  mode?: 'fast' | 'safe';
}

const doc = { type: '', text: '' };
const seen: unknown[] = [];

const example = defineOptionGroup<ExampleOptions>()(
  {
    size: { default: 3, check: (value, option) => checkPositiveInteger(option, value, 'things') * 10, doc },
    label: { check: (value) => String(value), doc },
    points: { required: true, check: (value, option) => checkPositiveInteger(option, value, 'points'), doc },
    mode: {
      defaultFrom: (given) => (given.size === undefined ? undefined : 'fast'),
      check: (value, _option, given) => {
        seen.push(given);
        return value as 'fast' | 'safe';
      },
      doc,
    },
  },
  {
    expected: 'an object with points',
    check: (given) => {
      if (given.label === 'forbidden') throw new RealtimeConfigError('example', given.label, 'no forbidden label');
    },
  },
);

describe('defineOptionGroup', () => {
  it('knows its keys in declaration order', () => {
    expect(example.keys).toEqual(['size', 'label', 'points', 'mode']);
  });

  it('runs each default through its check, and leaves an option with no default out', () => {
    const resolved = example.resolve({ points: 1 }, 'example');
    expect(resolved).toStrictEqual({ size: 30, points: 1 });
    expect('label' in resolved).toBe(false);
  });

  it('checks given values and names them by their dotted path', () => {
    expect(example.resolve({ points: 2, size: 5, label: 7 }, 'example')).toStrictEqual({ size: 50, label: '7', points: 2, mode: 'fast' });
    expect(() => example.resolve({ points: 2, size: 0 }, 'example')).toThrow('Invalid RealtimeModule option "example.size": got 0');
    expect(() => example.resolve({ points: 2, size: 0 }, '')).toThrow('Invalid RealtimeModule option "size": got 0');
  });

  it('hands the given group to defaults and checks that depend on other options', () => {
    seen.length = 0;
    const given = { points: 1, size: 1 };
    expect(example.resolve(given, 'example').mode).toBe('fast');
    expect(seen).toEqual([given]);
  });

  it('makes a required option say it is missing', () => {
    expect(() => example.resolve({}, 'example')).toThrow('"example.points": got undefined; expected a positive integer (points)');
  });

  it('refuses a value that is not an object, naming the group, or "(options)" at the top', () => {
    expect(() => example.resolve('fast', 'example')).toThrow('"example": got "fast"; expected an object with points');
    expect(() => example.resolve([], '')).toThrow('"(options)": got []; expected an object with points');
  });

  it('keeps the value out of the message when the group says so', () => {
    const secretive = defineOptionGroup<{ url?: string }>()({ url: { check: String, doc } }, { expected: 'an object', redact: true });
    expect(() => secretive.resolve('redis://:hunter2@host', 'redis')).toThrow('"redis": got a string (not shown); expected an object');
  });

  it('refuses unknown keys first, then runs the group check, then each option in order', () => {
    expect(() => example.resolve({ points: 0, label: 'forbidden', sise: 1 }, 'example')).toThrow(
      '"example.sise": got a number (not shown); expected no such option; known options are size, label, points, mode',
    );
    expect(() => example.resolve({ points: 0, label: 'forbidden' }, 'example')).toThrow('expected no forbidden label');
    expect(() => example.resolve({ points: 0, size: 0 }, 'example')).toThrow('"example.size"');
  });
});
