import { IsString, Length } from 'class-validator';

/** What a client sends as `message`. */
export class ChatMessageDto {
  @IsString()
  @Length(1, 500)
  text!: string;
}
