// OAuth 2.0 client credentials: short-lived JWTs signed with an ES256 key that is generated at
// first start and kept in the database (`identity_keys`), so every process sharing the database
// issues and accepts the same tokens. Two processes starting at once both try a unique insert of
// the key: one wins, the other reads the winner's.

import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import type mongoose from 'mongoose';

interface KeyDoc { _id: string; kid: string; alg: 'ES256'; privateJwk: JWK; publicJwk: JWK; createdAt: Date }

const KEY_ID = 'oauth-signing-key';
const ALG = 'ES256';

/** Audiences Camunda's clients ask for by default, and Gridflow's own. */
export const DEFAULT_AUDIENCES = ['gridflow-api', 'zeebe-api', 'zeebe.camunda.io', 'orchestration-api', 'camunda-api'];

export interface TokenOptions {
  issuer?: string;
  /** Seconds a token is valid (default 600; Camunda's clients refresh 30 s or 5 % before expiry). */
  lifetimeSeconds?: number;
  audiences?: string[];
}

export interface IssuedToken { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }

export class TokenService {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
    readonly issuer: string,
    readonly lifetimeSeconds: number,
    readonly audiences: string[],
  ) {}

  static async open(connection: mongoose.Connection, opts: TokenOptions = {}): Promise<TokenService> {
    const keys = connection.db!.collection<KeyDoc>('identity_keys');
    let doc = await keys.findOne({ _id: KEY_ID });
    if (doc === null) {
      const pair = await generateKeyPair(ALG, { extractable: true });
      const kid = randomUUID();
      const candidate: KeyDoc = {
        _id: KEY_ID, kid, alg: ALG, createdAt: new Date(),
        privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: ALG },
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' },
      };
      try {
        await keys.insertOne(candidate);
        doc = candidate;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 11000) throw err;
        doc = await keys.findOne({ _id: KEY_ID });
        if (doc === null) throw new Error('signing key vanished after a concurrent insert');
      }
    }
    const privateKey = (await importJWK(doc.privateJwk, ALG)) as CryptoKey;
    const publicKey = (await importJWK(doc.publicJwk, ALG)) as CryptoKey;
    return new TokenService(privateKey, publicKey, doc.publicJwk, doc.kid, opts.issuer ?? 'urn:gridflow', opts.lifetimeSeconds ?? 600, opts.audiences ?? DEFAULT_AUDIENCES);
  }

  async issue(clientId: string, audience: string, scope: string[]): Promise<IssuedToken> {
    const jwt = await new SignJWT({ scope: scope.join(' '), gf_kind: 'client' })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(clientId)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${this.lifetimeSeconds}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { access_token: jwt, token_type: 'Bearer', expires_in: this.lifetimeSeconds, scope: scope.join(' ') };
  }

  /** The token's claims; throws when it is not ours, not for us, expired or altered. */
  async verify(token: string): Promise<JWTPayload & { sub: string }> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: this.issuer, audience: this.audiences, algorithms: [ALG], typ: 'at+jwt', clockTolerance: 5, requiredClaims: ['sub', 'exp', 'iat'],
    });
    return payload as JWTPayload & { sub: string };
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }
}
