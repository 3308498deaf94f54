import { IsString, Length } from 'class-validator';

/** What a client sends as `message`: text for a room it has joined. */
export class ChatMessageDto {
  @IsString()
  @Length(1, 64)
  room!: string;

  @IsString()
  @Length(1, 500)
  text!: string;
}
