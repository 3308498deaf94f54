import { describe, expect, it } from 'vitest';
import { detailsOfFieldErrors, detailsOfValidationMessage, isFieldErrorList, isValidationErrorDetails, validationDetailsOfBody } from './validation-error-details.js';

describe('detailsOfFieldErrors', () => {
  it('files each message under its full path, in class-validator\'s order', () => {
    const details = detailsOfFieldErrors([
      { property: 'text', constraints: { isLength: 'text is short', isNotEmpty: 'say something' } },
      { property: 'author', children: [{ property: 'name', constraints: { isString: 'name must be a string' } }] },
      { property: 'items', children: [{ property: '0', children: [{ property: 'size', constraints: { min: 'size must not be less than 0' } }] }] },
      { property: 'tags', constraints: { isArray: 'tags must be an array' } },
    ]);
    expect(details).toEqual({
      fields: {
        text: ['text is short', 'say something'],
        'author.name': ['name must be a string'],
        'items.0.size': ['size must not be less than 0'],
        tags: ['tags must be an array'],
      },
      messages: ['text is short', 'say something', 'name must be a string', 'size must not be less than 0', 'tags must be an array'],
    });
  });

  it('takes the client\'s keys as plain keys, __proto__ and constructor included', () => {
    const details = detailsOfFieldErrors([
      { property: 'constructor', constraints: { whitelistValidation: 'property constructor should not exist' } },
      { property: '__proto__', constraints: { whitelistValidation: 'property __proto__ should not exist' } },
    ]);
    expect(Object.getOwnPropertyNames(details.fields)).toEqual(['constructor', '__proto__']);
    expect(details.fields['constructor']).toEqual(['property constructor should not exist']);
    expect(Object.getPrototypeOf(details.fields)).toBe(Object.prototype);
  });

  it('walks an error tree deeper than the stack allows for recursion', () => {
    let error = { property: 'leaf', constraints: { isString: 'leaf must be a string' } } as Parameters<typeof detailsOfFieldErrors>[0][number];
    for (let i = 0; i < 20_000; i++) error = { property: 'a', children: [error] };
    const details = detailsOfFieldErrors([error]);
    expect(details.messages).toEqual(['leaf must be a string']);
    expect(Object.keys(details.fields)[0]).toMatch(/^(a\.){20000}leaf$/);
  });
});

describe('isFieldErrorList', () => {
  it("recognises class-validator's errors, nested ones included", () => {
    expect(isFieldErrorList([{ property: 'text', constraints: { isString: 'text must be a string' } }, { property: 'author', children: [] }])).toBe(true);
  });

  it.each([
    ['an empty list', []],
    ['a list of strings', ['text must be a string']],
    ['an item without a property', [{ constraints: { isString: 'x' } }]],
    ['constraints that are not an object', [{ property: 'text', constraints: 'x' }]],
    ['children that are not a list', [{ property: 'author', children: {} }]],
    ['an object', { property: 'text' }],
  ])('refuses %s', (_name, value) => {
    expect(isFieldErrorList(value)).toBe(false);
  });
});

describe('detailsOfValidationMessage', () => {
  it('recovers the fields of Nest\'s list format, and keeps every message in order', () => {
    expect(detailsOfValidationMessage(['author.name must be a string', 'A post needs some text', 'property isAdmin should not exist'])).toEqual({
      fields: { 'author.name': ['author.name must be a string'], isAdmin: ['property isAdmin should not exist'] },
      messages: ['author.name must be a string', 'A post needs some text', 'property isAdmin should not exist'],
    });
  });

  it('takes Nest\'s grouped format as it is, without the "..." entry of a list cut short', () => {
    expect(detailsOfValidationMessage({ 'author.name': ['name must be a string'], '...': ['Further validation errors were omitted'] })).toEqual({
      fields: { 'author.name': ['name must be a string'] },
      messages: ['name must be a string', 'Further validation errors were omitted'],
    });
  });

  it.each([['a string', 'Bad'], ['no message', undefined], ['an empty object', {}], ['an object of non-lists', { a: 'b' }], ['lists of non-strings', { a: [1] }]])(
    'is undefined for %s',
    (_name, message) => {
      expect(detailsOfValidationMessage(message)).toBeUndefined();
    },
  );
});

describe('validationDetailsOfBody', () => {
  const details = { fields: { a: ['a is bad'] }, messages: ['a is bad'] };

  it('prefers the details a pipe put in the body, and needs a validation message beside them', () => {
    expect(validationDetailsOfBody({ message: ['a is bad'], details })).toBe(details);
    expect(validationDetailsOfBody({ message: 'Bad Request', details })).toBeUndefined();
  });

  it('recovers the details when the body has none of that shape', () => {
    expect(validationDetailsOfBody({ message: ['a is bad'], details: { fields: 'no' } })).toEqual(details);
  });

  it('checks the shape of details', () => {
    expect(isValidationErrorDetails(details)).toBe(true);
    expect(isValidationErrorDetails({ fields: {}, messages: [] })).toBe(true);
    for (const value of [null, 'x', { fields: [], messages: [] }, { fields: {}, messages: [1] }, { fields: { a: 'b' }, messages: [] }, { messages: [] }]) {
      expect(isValidationErrorDetails(value)).toBe(false);
    }
  });
});
