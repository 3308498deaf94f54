import { Allow, IsString, Length } from 'class-validator';

/** Longest room message, in characters; the UI's input says the same with `maxlength`. */
export const MAX_ROOM_MESSAGE_LENGTH = 2000;

/**
 * What a client sends as `msgToRoom`. RoomsGateway relays any `message` value as it is, so a
 * member could send every other member an object their client cannot render, or a megabyte.
 */
export class RoomMessageDto {
  /** Checked by RoomsGateway (name rules, membership); allowed through here as it is. */
  @Allow()
  room!: unknown;

  @IsString()
  @Length(1, MAX_ROOM_MESSAGE_LENGTH)
  message!: string;
}
