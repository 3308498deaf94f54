import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Length, Min, ValidateNested } from 'class-validator';

class Author {
  @IsString()
  @Length(2, 20)
  name!: string;
}

class Attachment {
  @IsString()
  file!: string;

  @IsInt()
  @Min(0)
  size!: number;
}

/** A DTO with a failure of every kind a client can cause: a field, an array item, a nested object, an item of a nested array. */
export class NewPostDto {
  // A message that does not begin with its property: nothing in it says which field it is about.
  @IsNotEmpty({ message: 'A post needs some text' })
  @Length(1, 50)
  text!: string;

  @IsString({ each: true })
  tags!: string[];

  @ValidateNested()
  @Type(() => Author)
  author!: Author;

  @ValidateNested({ each: true })
  @Type(() => Attachment)
  attachments!: Attachment[];
}

/** What the HTTP route and both gateways answer for a body that passed the pipe. */
const accepted = (post: NewPostDto) => ({ accepted: true, isDto: post instanceof NewPostDto, post });

@Controller('posts')
export class PostsController {
  @Post()
  @HttpCode(201)
  create(@Body() post: NewPostDto) {
    return accepted(post);
  }
}

/** The same handler on Socket.IO… */
@WebSocketGateway({ namespace: 'posts' })
export class PostsGateway {
  @SubscribeMessage('post')
  post(@MessageBody() post: NewPostDto) {
    return accepted(post);
  }
}

/** …and on native WebSocket. */
@WebSocketGateway({ transport: 'ws', path: '/ws-posts' })
export class NativePostsGateway {
  @SubscribeMessage('post')
  post(@MessageBody() post: NewPostDto) {
    return { event: 'post', data: accepted(post) };
  }
}

export const validPost = { text: 'hello', tags: ['news'], author: { name: 'Ann' }, attachments: [{ file: 'a.png', size: 10 }] };

/** Fails every rule once: `text` is empty, a tag is a number, the author's name is short, an attachment's size negative. */
export const invalidPost = { text: '', tags: ['news', 7], author: { name: 'A' }, attachments: [{ file: 'a.png', size: -1 }] };

/** Valid, but with a property the DTO does not declare, at the top and in a nested object. */
export const postWithExtras = { ...validPost, isAdmin: true, author: { name: 'Ann', role: 'owner' } };
