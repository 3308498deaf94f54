import { describe, expect, it } from 'vitest';
import { defaultBigRoomExitUsers } from '../options/resolve-presence-options.js';
import { DEFAULT_BIG_ROOM_BAND, isBigRoom, presenceModeOf, type BigRoomBand } from './presence-mode.js';

const band: BigRoomBand = { bigRoomUsers: 200, bigRoomExitUsers: 150 };

/** The states a room goes through as its user count follows `counts`, from empty. */
function statesAlong(counts: number[], along = band): boolean[] {
  let big = false;
  return counts.map((users) => (big = isBigRoom(users, big, along)));
}

describe('isBigRoom', () => {
  it('turns big above bigRoomUsers and small again at or below bigRoomExitUsers, keeping its state in between', () => {
    expect(statesAlong([200, 201, 200, 201, 199, 151, 150, 151, 200, 201])).toEqual([false, true, true, true, true, true, false, false, false, true]);
  });

  it('decides from the count alone outside the band, whatever the state says', () => {
    // No state (a room stored before states, or by a store that keeps none): the rule of the count alone.
    expect(isBigRoom(201, false, band)).toBe(true);
    expect(isBigRoom(175, false, band)).toBe(false);
    // A state left stale: a room at or below the exit threshold is small.
    expect(isBigRoom(150, true, band)).toBe(false);
    expect(isBigRoom(0, true, band)).toBe(false);
  });

  it('with bigRoomExitUsers equal to bigRoomUsers, has no band: the rule of the count alone', () => {
    expect(statesAlong([201, 200, 201, 200], { bigRoomUsers: 200, bigRoomExitUsers: 200 })).toEqual([true, false, true, false]);
  });

  it('with bigRoomExitUsers 0, keeps a big room big until it is empty', () => {
    expect(statesAlong([3, 1, 0, 2], { bigRoomUsers: 2, bigRoomExitUsers: 0 })).toEqual([true, true, false, false]);
  });
});

describe('presenceModeOf', () => {
  it('is counts while the room is big, full otherwise', () => {
    expect(presenceModeOf({ users: 200, connections: 200 }, band)).toBe('full');
    expect(presenceModeOf({ users: 201, connections: 201 }, band)).toBe('counts');
    expect(presenceModeOf({ users: 180, connections: 180, big: true }, band)).toBe('counts');
    expect(presenceModeOf({ users: 180, connections: 180, big: false }, band)).toBe('full');
    expect(presenceModeOf({ users: 180, connections: 180 }, band)).toBe('full');
    expect(presenceModeOf({ users: 150, connections: 150, big: true }, band)).toBe('full');
  });

  it('follows the room\'s fixed mode whatever its size or state', () => {
    expect(presenceModeOf({ users: 201, connections: 201, big: true }, band, 'full')).toBe('full');
    expect(presenceModeOf({ users: 1, connections: 1 }, band, 'counts')).toBe('counts');
  });
});

describe('defaultBigRoomExitUsers', () => {
  it('is three quarters of bigRoomUsers, rounded down, never above it', () => {
    expect(DEFAULT_BIG_ROOM_BAND).toEqual({ bigRoomUsers: 200, bigRoomExitUsers: 150 });
    expect([1, 2, 3, 4, 7, 1000].map(defaultBigRoomExitUsers)).toEqual([0, 1, 2, 3, 5, 750]);
  });
});
