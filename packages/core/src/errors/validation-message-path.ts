/**
 * The ways class-validator's default messages name their property (`$property`), after the
 * `each value in ` prefix that `{ each: true }` adds. The slot is one word: a DTO property, an
 * array index or a map key — except in the whitelist message, whose key is the client's and may
 * hold spaces (it ends the message, so it is still unambiguous).
 */
const PROPERTY_IN_MESSAGE: readonly RegExp[] = [
  /^property (.+) should not exist$/,
  /^(?:each value in )?nested property (\S+) must be either object or array$/,
  /^(?:each value in )?All (\S+)'s elements must be unique$/,
  /^(?:maximal|minimal) allowed date for (?:each value in )?(\S+) is /,
  /^(?:each value in )?(\S+?)(?:'s byte length)? (?:must|should|is) /,
];

/**
 * The property path a message of Nest's `ValidationPipe` is about, or `undefined` when the
 * message does not say. Nest's list format sends only messages: class-validator's own begin with
 * (or hold) the property's name, and Nest puts the parent path in front of a nested one
 * (`author.name must be a string`, `author.property role should not exist`,
 * `attachments.0.each value in tags must be a string`). A custom message that names no property
 * (`'A post needs some text'`) is not given one.
 */
export function validationMessagePath(message: string): string | undefined {
  // Without a parent, or with it read as part of the property (`author.name must…`).
  const whole = propertyIn(message);
  if (whole !== undefined) return whole;
  // The parent ends at the last dot of the first word: what follows is class-validator's message.
  const firstSpace = message.indexOf(' ');
  const parentEnd = message.lastIndexOf('.', firstSpace);
  if (firstSpace < 0 || parentEnd <= 0) return undefined;
  const property = propertyIn(message.slice(parentEnd + 1));
  return property === undefined ? undefined : `${message.slice(0, parentEnd)}.${property}`;
}

function propertyIn(message: string): string | undefined {
  for (const pattern of PROPERTY_IN_MESSAGE) {
    const property = pattern.exec(message)?.[1];
    if (property !== undefined) return property;
  }
  return undefined;
}
