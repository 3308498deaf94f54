/** `'chat'` and `'/chat'` both name the namespace `/chat`, as Socket.IO reports it. */
export function namespaceName(name: string): string {
  return `/${name.replace(/^\//, '')}`;
}

/** The room every authenticated socket of a user joins. */
export function userRoom(userRoomPrefix: string, userId: string | number): string {
  return `${userRoomPrefix}${userId}`;
}
