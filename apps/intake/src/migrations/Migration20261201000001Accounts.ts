import { Migration } from '@mikro-orm/migrations';

/** People's accounts (argon2id password hashes), their rotating refresh tokens, and API-key expiry. */
export class Migration20261201000001Accounts extends Migration {
  override up(): void {
    this.addSql(`CREATE TABLE account (
      username text PRIMARY KEY,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL,
      scope text[] NOT NULL DEFAULT '{}',
      disabled boolean NOT NULL DEFAULT false,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      last_sign_in_at timestamptz
    )`);
    // A refresh token is stored as its SHA-256 only; a family is one sign-in and every rotation after it.
    this.addSql(`CREATE TABLE refresh_token (
      token_sha256 text PRIMARY KEY,
      family_id uuid NOT NULL,
      username text NOT NULL REFERENCES account (username),
      issued_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      revoked_at timestamptz
    )`);
    this.addSql(`CREATE INDEX refresh_token_family ON refresh_token (family_id)`);
    this.addSql(`CREATE INDEX refresh_token_username ON refresh_token (username)`);
    this.addSql(`ALTER TABLE api_key ADD COLUMN expires_at timestamptz`);
    this.addSql(`UPDATE api_key SET expires_at = created_at + interval '1 year' WHERE expires_at IS NULL`);
    this.addSql(`ALTER TABLE api_key ALTER COLUMN expires_at SET NOT NULL`);
  }
}
