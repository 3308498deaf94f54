import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * Refuses request bodies nested deeper than `maxDepth` before they reach class-transformer, whose
 * recursion a deeply nested body (well under the size limit) would overflow into a 500.
 */
export class JsonDepthPipe implements PipeTransform {
  constructor(private readonly maxDepth: number) {}

  transform(value: unknown): unknown {
    const pending: [unknown, number][] = [[value, 1]];
    while (pending.length > 0) {
      const [node, depth] = pending.pop()!;
      if (node === null || typeof node !== 'object') continue;
      if (depth > this.maxDepth) throw new BadRequestException(`Body nests deeper than ${this.maxDepth} levels`);
      for (const child of Object.values(node)) pending.push([child, depth + 1]);
    }
    return value;
  }
}
