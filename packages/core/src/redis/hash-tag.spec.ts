import { describe, expect, it } from 'vitest';
import { hashTagOf, hashTaggedPrefix } from './hash-tag.js';

describe('hashTagOf', () => {
  it('reads the tag as Redis Cluster does', () => {
    expect(hashTagOf('{user1000}.following')).toBe('user1000');
    expect(hashTagOf('foo{}{bar}')).toBeUndefined(); // an empty tag: the whole key is hashed
    expect(hashTagOf('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagOf('foo{bar}{zap}')).toBe('bar');
    expect(hashTagOf('no tag')).toBeUndefined();
    expect(hashTagOf('open { only')).toBeUndefined();
  });
});

describe('hashTaggedPrefix', () => {
  it('wraps a prefix without a tag, so every key under it has the whole prefix as its tag', () => {
    const prefix = hashTaggedPrefix('socket.io:presence');
    expect(prefix).toBe('{socket.io:presence}');
    expect(hashTagOf(`${prefix}:room:/chat#general`)).toBe('socket.io:presence');
    expect(hashTagOf(`${prefix}:user-rooms:{ada}`)).toBe('socket.io:presence');
  });

  it('keeps a prefix that holds a tag already', () => {
    expect(hashTaggedPrefix('{app}:presence')).toBe('{app}:presence');
    expect(hashTaggedPrefix('a{b')).toBe('{a{b}');
    expect(hashTagOf(`${hashTaggedPrefix('a{b')}:room:x`)).toBe('a{b');
  });

  it('refuses a prefix with a "}" it cannot wrap', () => {
    expect(() => hashTaggedPrefix('}x')).toThrow(/holds a "}" but no hash tag/);
    expect(() => hashTaggedPrefix('x{}y')).toThrow(/holds a "}" but no hash tag/);
  });
});
