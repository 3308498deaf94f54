import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';

/** After a fetch that did not find a requested `kid`, unknown kids wait this long before the next fetch. */
const UNKNOWN_KID_REFETCH_COOLDOWN_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;

interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
}

/**
 * Public keys from a JSON Web Key Set URL: fetched on first use, cached for `cacheMs`, fetched
 * again when a token names a `kid` the cache does not have (key rotation). Forged tokens with
 * random kids cannot make it fetch more than once per cooldown.
 */
export class JwksKeyStore {
  private readonly logger = new Logger('RealtimeJwks');
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastUnknownKidFetchAt = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly uri: string,
    private readonly cacheMs: number,
  ) {}

  /** The key for `kid` (or the only key, when the token names none); rejects when there is none. */
  async getKey(kid: string | undefined): Promise<KeyObject> {
    if (Date.now() - this.fetchedAt > this.cacheMs) await this.refresh();
    let key = this.find(kid);
    if (!key && kid !== undefined && Date.now() - this.lastUnknownKidFetchAt > UNKNOWN_KID_REFETCH_COOLDOWN_MS) {
      this.lastUnknownKidFetchAt = Date.now();
      await this.refresh();
      key = this.find(kid);
    }
    if (!key) throw new Error(`No JWKS key for kid ${kid ?? '(none)'}`);
    return key;
  }

  private find(kid: string | undefined): KeyObject | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private refresh(): Promise<void> {
    // Concurrent handshakes share one fetch.
    this.inflight ??= this.fetchKeys().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const response = await fetch(this.uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: Jwk[] };
      const keys = new Map<string, KeyObject>();
      for (const [index, jwk] of (body.keys ?? []).entries()) {
        if (jwk.use !== undefined && jwk.use !== 'sig') continue;
        keys.set(jwk.kid ?? `#${index}`, createPublicKey({ key: jwk, format: 'jwk' }));
      }
      this.keys = keys;
      this.fetchedAt = Date.now();
    } catch (error) {
      // Keep the keys we had (a JWKS outage must not log every user out), and retry only after
      // the cooldown so that an outage does not turn every handshake into a fetch.
      this.fetchedAt = Date.now() - this.cacheMs + UNKNOWN_KID_REFETCH_COOLDOWN_MS;
      this.logger.error(`Could not fetch JWKS from ${this.uri}: ${(error as Error).message}`);
    }
  }
}
