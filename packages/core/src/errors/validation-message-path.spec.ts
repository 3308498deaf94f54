import { describe, expect, it } from 'vitest';
import { validationMessagePath } from './validation-message-path.js';

describe('validationMessagePath', () => {
  it.each([
    ['name must be a string', 'name'],
    ['name should not be empty', 'name'],
    ['role is not a valid decimal number.', 'role'],
    ["name's byte length must fall into (1, 4) range", 'name'],
    ['each value in tags must be a string', 'tags'],
    ['property isAdmin should not exist', 'isAdmin'],
    ['property a key with spaces should not exist', 'a key with spaces'],
    ['nested property author must be either object or array', 'author'],
    ['each value in nested property items must be either object or array', 'items'],
    ["All tags's elements must be unique", 'tags'],
    ['maximal allowed date for startsAt is Tue Jan 01 2030', 'startsAt'],
    ['minimal allowed date for each value in dates is Tue Jan 01 2030', 'dates'],
  ])('finds the property of class-validator\'s "%s"', (message, path) => {
    expect(validationMessagePath(message)).toBe(path);
  });

  it.each([
    ['author.name must be longer than or equal to 2 characters', 'author.name'],
    ['attachments.0.size must not be less than 0', 'attachments.0.size'],
    ['author.property role should not exist', 'author.role'],
    ['author.property a.b c should not exist', 'author.a.b c'],
    ['post.author.each value in tags must be a string', 'post.author.tags'],
    ['author.nested property address must be either object or array', 'author.address'],
    ["post.All tags's elements must be unique", 'post.tags'],
    ['event.maximal allowed date for startsAt is Tue Jan 01 2030', 'event.startsAt'],
  ])('puts the parent path Nest prefixed to "%s" in front', (message, path) => {
    expect(validationMessagePath(message)).toBe(path);
  });

  it('keeps a DTO property named like a word of the templates', () => {
    expect(validationMessagePath('property must be a string')).toBe('property');
    expect(validationMessagePath('each must be a string')).toBe('each');
    expect(validationMessagePath('author.property must be a string')).toBe('author.property');
  });

  it.each([
    'A post needs some text',
    'an unknown value was passed to the validate function',
    'Validation failed (object is expected)',
    'Further validation errors were omitted',
    'author.A post needs some text',
    '',
    ' must be a string',
  ])('finds no property in "%s"', (message) => {
    expect(validationMessagePath(message)).toBeUndefined();
  });
});
