// The wire protocol: the names, codes and payload types shared with the client (the private
// @nestjs-realtime/protocol package, bundled into this one), and the server's helpers around them.
// Nothing here imports from another folder of the library.
export * from '@nestjs-realtime/protocol';
export * from './error-payload.js';
export * from './names.js';
