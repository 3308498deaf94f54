import { readFileSync } from 'node:fs';

/** A source position of a closure, as the snapshot records it (0-based line and column). */
export interface SourceLocation {
  scriptId: number;
  line: number;
  column: number;
}

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
      location_fields?: string[];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
}

/**
 * A V8 `.heapsnapshot` file (as `v8.writeHeapSnapshot()` writes it), read into flat arrays.
 * Nodes are addressed by ordinal (0…nodeCount-1); `id` is V8's object id, stable across the
 * snapshots of one process, so two snapshots tell which objects are new.
 */
export class HeapSnapshot {
  readonly nodeCount: number;
  private readonly nodes: number[];
  private readonly edges: number[];
  private readonly strings: string[];
  private readonly nodeTypes: string[];
  private readonly edgeTypes: string[];
  private readonly nodeFields: number;
  private readonly edgeFields: number;
  private readonly f: { type: number; name: number; id: number; size: number; edgeCount: number };
  private readonly e: { type: number; name: number; to: number };
  /** Index into `edges` of each node's first edge (nodeCount + 1 entries). */
  private readonly firstEdge: Uint32Array;
  private readonly locationByNode = new Map<number, SourceLocation>();
  private retainerIndex?: { first: Uint32Array; from: Uint32Array; edge: Uint32Array };

  private constructor(raw: RawSnapshot) {
    const { meta } = raw.snapshot;
    this.nodes = raw.nodes;
    this.edges = raw.edges;
    this.strings = raw.strings;
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.nodeFields = meta.node_fields.length;
    this.edgeFields = meta.edge_fields.length;
    const nf = (name: string) => meta.node_fields.indexOf(name);
    const ef = (name: string) => meta.edge_fields.indexOf(name);
    this.f = { type: nf('type'), name: nf('name'), id: nf('id'), size: nf('self_size'), edgeCount: nf('edge_count') };
    this.e = { type: ef('type'), name: ef('name_or_index'), to: ef('to_node') };
    this.nodeCount = this.nodes.length / this.nodeFields;
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    for (let n = 0, edge = 0; n < this.nodeCount; n++) {
      this.firstEdge[n] = edge;
      edge += this.nodes[n * this.nodeFields + this.f.edgeCount]! * this.edgeFields;
      this.firstEdge[n + 1] = edge;
    }
    const lf = meta.location_fields;
    if (raw.locations && lf) {
      const [obj, script, line, column] = ['object_index', 'script_id', 'line', 'column'].map((name) => lf.indexOf(name)) as [number, number, number, number];
      for (let i = 0; i < raw.locations.length; i += lf.length) {
        const l = raw.locations;
        this.locationByNode.set(l[i + obj]! / this.nodeFields, { scriptId: l[i + script]!, line: l[i + line]!, column: l[i + column]! });
      }
    }
  }

  static read(file: string): HeapSnapshot {
    return new HeapSnapshot(JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot);
  }

  type(n: number): string {
    return this.nodeTypes[this.nodes[n * this.nodeFields + this.f.type]!]!;
  }

  name(n: number): string {
    return this.strings[this.nodes[n * this.nodeFields + this.f.name]!]!;
  }

  id(n: number): number {
    return this.nodes[n * this.nodeFields + this.f.id]!;
  }

  selfSize(n: number): number {
    return this.nodes[n * this.nodeFields + this.f.size]!;
  }

  location(n: number): SourceLocation | undefined {
    return this.locationByNode.get(n);
  }

  /** The node's outgoing edges: type, name (property name, or index as a string), target ordinal. */
  *edgesOf(n: number): Generator<{ type: string; name: string; to: number }> {
    for (let i = this.firstEdge[n]!; i < this.firstEdge[n + 1]!; i += this.edgeFields) yield this.edgeAt(i);
  }

  /** The first edge of `type` named `name`, if any. */
  edge(n: number, name: string, type?: string): number | undefined {
    for (const edge of this.edgesOf(n)) if (edge.name === name && (type === undefined || edge.type === type)) return edge.to;
    return undefined;
  }

  /** Who holds the node: each retainer's ordinal and the edge from it. */
  *retainersOf(n: number): Generator<{ from: number; type: string; name: string }> {
    const index = this.retainers();
    for (let i = index.first[n]!; i < index.first[n + 1]!; i++) {
      const edge = this.edgeAt(index.edge[i]!);
      yield { from: index.from[i]!, type: edge.type, name: edge.name };
    }
  }

  private edgeAt(i: number): { type: string; name: string; to: number } {
    const type = this.edgeTypes[this.edges[i + this.e.type]!]!;
    const raw = this.edges[i + this.e.name]!;
    // Element and hidden edges carry an index, the others a string-table offset.
    const name = type === 'element' || type === 'hidden' ? String(raw) : this.strings[raw]!;
    return { type, name, to: this.edges[i + this.e.to]! / this.nodeFields };
  }

  private retainers(): { first: Uint32Array; from: Uint32Array; edge: Uint32Array } {
    if (this.retainerIndex) return this.retainerIndex;
    const edgeCount = this.edges.length / this.edgeFields;
    const first = new Uint32Array(this.nodeCount + 1);
    for (let i = 0; i < this.edges.length; i += this.edgeFields) first[this.edges[i + this.e.to]! / this.nodeFields + 1]!++;
    for (let n = 0; n < this.nodeCount; n++) first[n + 1]! += first[n]!;
    const fill = first.slice(0, this.nodeCount);
    const from = new Uint32Array(edgeCount);
    const edge = new Uint32Array(edgeCount);
    for (let n = 0; n < this.nodeCount; n++) {
      for (let i = this.firstEdge[n]!; i < this.firstEdge[n + 1]!; i += this.edgeFields) {
        const to = this.edges[i + this.e.to]! / this.nodeFields;
        const slot = fill[to]!++;
        from[slot] = n;
        edge[slot] = i;
      }
    }
    this.retainerIndex = { first, from, edge };
    return this.retainerIndex;
  }
}
