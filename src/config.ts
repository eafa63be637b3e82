// The only reader of process.env. Typed, read once, fails fast with a message naming the variable.
import fs from 'node:fs';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** null: run an embedded PostgreSQL in dataDir. */
  databaseUrl: string | null;
  /** The owner role's connection, for migrations (docs/database-roles.md); null: migrate with databaseUrl. */
  databaseOwnerUrl: string | null;
  /** A streaming read replica the reports read from (src/db/reports.ts); null: reports read the primary. */
  databaseReplicaUrl: string | null;
  /** The replica's lag beyond which reports read the primary instead (DATABASE_REPLICA_MAX_LAG_SECONDS, default 30). */
  databaseReplicaMaxLagSeconds: number;
  dataDir: string;
  embeddedPgPort: number;
  baseUrl: string;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  demoMode: boolean;
  logLevel: string;
  breakGlassMinutes: number;
  breakGlassAlertRole: string;
  /** The role alerted (in-app and by email) when someone is given access to case records (a case role or teams). */
  securityAlertRole: string;
  /** API tokens: how many days a new token lasts unless asked otherwise, and the most that may be asked for. */
  apiTokenDays: number;
  apiTokenMaxDays: number;
  /** Sign-in failures allowed a minute for one account from one address, then 429 until the minute is up. */
  loginFailuresPerMinute: number;
  /** Sign-in failures allowed a minute from one address over all accounts, and for one account over all addresses. */
  loginFailuresPerAddressPerMinute: number;
  loginFailuresPerAccountPerMinute: number;
  /** Reverse proxies in front of Handover that append to X-Forwarded-For (0: the socket address is the client). */
  trustProxyHops: number;
  /** A folder of council-authored protocol files (JSON or YAML), or null for the built-ins only. */
  protocolsDir: string | null;
  /** A folder of council-authored screening instruments (JSON or YAML), or null for the built-ins only. */
  screeningDir: string | null;
  /** The age (years) from which the daily job starts a joint transition plan for a young person at risk of
   *  exploitation (issue 12 part 8; TRANSITION_PLAN_START_AGE, 14 to 17, default 17). */
  transitionPlanStartAge: number;
  /**
   * How email leaves: 'smtp' (SMTP_URL), 'notify' (GOV.UK Notify), 'log' (kept in the outbox, viewable by an
   * administrator at /dev/mail: demo mode only) or 'off' (chosen explicitly: nothing is sent, emails wait in the outbox).
   */
  mailTransport: MailTransportName;
  smtpUrl: string | null;
  mailFrom: string;
  /** Domains (EMAIL_ALLOWED_DOMAINS) whose addresses may be copied into emails besides Handover's own users. */
  emailAllowedDomains: string[];
  notifyApiKey: string | null;
  notifyTemplateId: string | null;
  /** Run the background jobs (timers, outbox) in this process. */
  jobs: boolean;
  /** How often the deadline sweep and the outbox sender run, in seconds. */
  jobIntervalSeconds: number;
  /** How long a sender's claim on an email holds: after a crash mid-send, that email waits this long to go again. */
  outboxLeaseSeconds: number;
  /** Uploaded documents: the virus scanner, where the bytes go, the size limit (src/modules/documents). */
  documents: DocumentsConfig;
  /** Council sign-in by OpenID Connect (Microsoft Entra ID), or null when OIDC_ISSUER is unset (issue 17). */
  oidc: OidcConfig | null;
  /**
   * Two-factor sign-in for local accounts of outside organisations and administrators (issue 17): 'required', or
   * 'off' (demo mode only, TWO_FACTOR=off; the default in demo mode so the published demo sign-ins work).
   */
  twoFactor: 'required' | 'off';
}

export interface OidcConfig {
  /** The issuer: a tenant's (https://login.microsoftonline.com/{tenant}/v2.0) or the multi-tenant `organizations`. */
  issuer: string;
  clientId: string;
  /** client_secret_post/basic with a secret, or private_key_jwt with a private key (PEM file); exactly one. */
  clientSecret: string | null;
  privateKeyPem: string | null;
  redirectUrl: string;
  postLogoutRedirectUrl: string;
  /** Tenant ids (`tid`) whose accounts may sign in; empty: only the issuer's own tenant (a single-tenant issuer). */
  allowedTenants: string[];
  /** The sign-in page's button text. */
  label: string;
  /** Plain http issuer allowed (tests and local trials against a provider on 127.0.0.1; never with NODE_ENV=production). */
  allowHttp: boolean;
}

/** Where clamd listens: a unix socket, or host and port (its INSTREAM command over TCP). */
export type ClamdAddress = { socket: string } | { host: string; port: number };

export interface DocumentsConfig {
  /**
   * clamd: every upload is scanned (refused if clamd does not answer); off: uploads are taken unscanned and the
   * pages say so (demo mode, or DOCUMENT_SCANNING=off chosen explicitly); unavailable: no scanner and not chosen
   * off, so uploads are refused with the setting to fix (docs/decisions.md).
   */
  scanning: 'clamd' | 'off' | 'unavailable';
  clamd: ClamdAddress | null;
  /** A directory for the bytes (one file per document, named by its id), or null: in PostgreSQL. */
  dir: string | null;
  maxBytes: number;
}

export type MailTransportName = 'smtp' | 'notify' | 'log' | 'off';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}; got "${raw}".`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}; got ${n}.`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}".`);
}

/**
 * Demo mode (demo sign-ins with a published password, email kept in the app) is for development only: on by default
 * with the embedded database, never with NODE_ENV=production (docs/decisions.md).
 */
function demo(env: Env, databaseUrl: string | null): boolean {
  const production = env.NODE_ENV?.trim() === 'production';
  const demoMode = bool(env, 'DEMO_MODE', databaseUrl === null && !production);
  if (demoMode && production)
    throw new ConfigError(
      'DEMO_MODE=true cannot be used with NODE_ENV=production: demo mode signs in with a published password and keeps email in the app. Remove DEMO_MODE or set it to false.',
    );
  return demoMode;
}

function mail(env: Env, demoMode: boolean) {
  const smtpUrl = env.SMTP_URL?.trim() || null;
  const notifyApiKey = env.NOTIFY_API_KEY?.trim() || null;
  const notifyTemplateId = env.NOTIFY_TEMPLATE_ID?.trim() || null;
  const chosen = env.MAIL_TRANSPORT?.trim() || (notifyApiKey ? 'notify' : smtpUrl ? 'smtp' : demoMode ? 'log' : null);
  if (chosen === null)
    throw new ConfigError(
      'No way to send email: outside demo mode set SMTP_URL (or NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID), or start with email turned off with MAIL_TRANSPORT=off.',
    );
  if (chosen !== 'smtp' && chosen !== 'notify' && chosen !== 'log' && chosen !== 'off') {
    throw new ConfigError(`MAIL_TRANSPORT must be smtp, notify, off or (demo mode only) log; got "${chosen}".`);
  }
  if (chosen === 'log' && !demoMode)
    throw new ConfigError(
      'MAIL_TRANSPORT=log keeps email readable in the app and works only in demo mode. Set SMTP_URL or NOTIFY_API_KEY, or MAIL_TRANSPORT=off to start with email turned off.',
    );
  if (chosen === 'smtp' && !smtpUrl)
    throw new ConfigError('MAIL_TRANSPORT=smtp needs SMTP_URL, e.g. smtp://user:pass@smtp.example.org:587.');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://.');
  if (chosen === 'notify' && (!notifyApiKey || !notifyTemplateId)) {
    throw new ConfigError(
      'MAIL_TRANSPORT=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID (a template with ((subject)) and ((body))).',
    );
  }
  return {
    mailTransport: chosen as MailTransportName,
    smtpUrl,
    mailFrom: env.MAIL_FROM?.trim() || 'Handover <no-reply@handover.invalid>',
    notifyApiKey,
    notifyTemplateId,
  };
}

function apiTokens(env: Env) {
  const apiTokenMaxDays = int(env, 'API_TOKEN_MAX_DAYS', 365, 1, 730);
  const apiTokenDays = int(env, 'API_TOKEN_DAYS', Math.min(90, apiTokenMaxDays), 1, 730);
  if (apiTokenDays > apiTokenMaxDays)
    throw new ConfigError(
      `API_TOKEN_DAYS (${apiTokenDays}) must not be more than API_TOKEN_MAX_DAYS (${apiTokenMaxDays}).`,
    );
  return { apiTokenDays, apiTokenMaxDays };
}

function postgresUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim() || null;
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must look like postgres://user:password@host:5432/handover.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// (got ${url.protocol}//).`);
  }
  return raw;
}

/**
 * Sign-in throttling and the client address (issue 9 finding 6, docs/decisions.md). TRUST_PROXY_HOPS is how many
 * reverse proxies append to X-Forwarded-For: the client is the address that many hops from the right. TRUST_PROXY=true
 * alone means one hop, never the left-most value, which the client writes itself.
 */
function throttling(env: Env) {
  const given = (name: string) => (env[name]?.trim() ?? '') !== '';
  const trust = bool(env, 'TRUST_PROXY', false);
  const trustProxyHops = int(env, 'TRUST_PROXY_HOPS', trust ? 1 : 0, 0, 10);
  if (given('TRUST_PROXY') && given('TRUST_PROXY_HOPS') && trust !== trustProxyHops > 0)
    throw new ConfigError(
      `TRUST_PROXY=${env.TRUST_PROXY} contradicts TRUST_PROXY_HOPS=${trustProxyHops}: set TRUST_PROXY_HOPS alone (0 when no proxy is in front).`,
    );
  const perAccountAddress = int(env, 'LOGIN_FAILURES_PER_MINUTE', 6, 1, 1000);
  const wider = (name: string) => int(env, name, 10 * perAccountAddress, 1, 100_000);
  return {
    trustProxyHops,
    loginFailuresPerMinute: perAccountAddress,
    loginFailuresPerAddressPerMinute: wider('LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE'),
    loginFailuresPerAccountPerMinute: wider('LOGIN_FAILURES_PER_ACCOUNT_PER_MINUTE'),
  };
}

export function readConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const databaseOwnerUrl = postgresUrl(env, 'DATABASE_OWNER_URL');
  if (databaseOwnerUrl !== null && databaseUrl === null) {
    throw new ConfigError(
      'DATABASE_OWNER_URL (the owner role, for migrations) needs DATABASE_URL (the app role) too; unset both to use the embedded PostgreSQL.',
    );
  }
  const databaseReplicaUrl = postgresUrl(env, 'DATABASE_REPLICA_URL');
  if (databaseReplicaUrl !== null && databaseUrl === null) {
    throw new ConfigError(
      'DATABASE_REPLICA_URL (a read replica for reports) needs DATABASE_URL (the primary) too; the embedded PostgreSQL has no replica.',
    );
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}".`,
    );
  }
  const demoMode = demo(env, databaseUrl);
  return {
    port,
    host,
    databaseUrl,
    databaseOwnerUrl,
    databaseReplicaUrl,
    databaseReplicaMaxLagSeconds: int(env, 'DATABASE_REPLICA_MAX_LAG_SECONDS', 30, 1, 86_400),
    dataDir: path.resolve(cwd, env.HANDOVER_DATA_DIR?.trim() || 'data'),
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    baseUrl: (env.BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, ''),
    cookieSecure: bool(env, 'COOKIE_SECURE', true),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 72),
    demoMode,
    logLevel,
    breakGlassMinutes: int(env, 'BREAK_GLASS_MINUTES', 60, 5, 24 * 60),
    breakGlassAlertRole: env.BREAK_GLASS_ALERT_ROLE?.trim() || 'service_manager',
    securityAlertRole: env.SECURITY_ALERT_ROLE?.trim() || 'service_manager',
    ...apiTokens(env),
    ...throttling(env),
    protocolsDir: env.PROTOCOLS_DIR?.trim() ? path.resolve(cwd, env.PROTOCOLS_DIR.trim()) : null,
    screeningDir: env.SCREENING_DIR?.trim() ? path.resolve(cwd, env.SCREENING_DIR.trim()) : null,
    transitionPlanStartAge: int(env, 'TRANSITION_PLAN_START_AGE', 17, 14, 17),
    ...mail(env, demoMode),
    jobs: bool(env, 'JOBS', true),
    jobIntervalSeconds: int(env, 'JOB_INTERVAL_SECONDS', 30, 1, 3600),
    outboxLeaseSeconds: int(env, 'OUTBOX_LEASE_SECONDS', 180, 10, 3600),
    emailAllowedDomains: domains(env, 'EMAIL_ALLOWED_DOMAINS'),
    documents: documents(env, cwd, demoMode),
    oidc: oidc(env, cwd, (env.BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/$/, '')),
    twoFactor: twoFactor(env, demoMode),
  };
}

/** TWO_FACTOR: required (default) or off (demo mode only, and its default there). */
function twoFactor(env: Env, demoMode: boolean): 'required' | 'off' {
  const chosen = env.TWO_FACTOR?.trim() || (demoMode ? 'off' : 'required');
  if (chosen !== 'required' && chosen !== 'off')
    throw new ConfigError(`TWO_FACTOR must be required or off; got "${chosen}".`);
  if (chosen === 'off' && !demoMode)
    throw new ConfigError(
      'TWO_FACTOR=off is allowed in demo mode only: outside organisations and administrators must use a second factor. Remove TWO_FACTOR.',
    );
  return chosen;
}

/** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE, and the optional rest (.env.example). */
function oidc(env: Env, cwd: string, baseUrl: string): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim() || null;
  if (!issuer) {
    const stray = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PRIVATE_KEY_FILE'].find((n) => env[n]?.trim());
    if (stray)
      throw new ConfigError(`${stray} is set but OIDC_ISSUER is not: set OIDC_ISSUER too, or remove ${stray}.`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(
      `OIDC_ISSUER must be a URL such as https://login.microsoftonline.com/<tenant>/v2.0; got "${issuer}".`,
    );
  }
  const allowHttp = bool(env, 'OIDC_ALLOW_HTTP', false);
  if (allowHttp && env.NODE_ENV?.trim() === 'production')
    throw new ConfigError('OIDC_ALLOW_HTTP=true cannot be used with NODE_ENV=production: the issuer must be https.');
  if (url.protocol !== 'https:' && !allowHttp)
    throw new ConfigError(
      `OIDC_ISSUER must be https; got "${issuer}" (OIDC_ALLOW_HTTP=true only for a local test provider).`,
    );
  const clientId = env.OIDC_CLIENT_ID?.trim() || null;
  if (!clientId)
    throw new ConfigError('OIDC_ISSUER is set but OIDC_CLIENT_ID is not: set the application (client) id.');
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim() || null;
  const keyFile = env.OIDC_PRIVATE_KEY_FILE?.trim() || null;
  if (!clientSecret === !keyFile)
    throw new ConfigError(
      'Set exactly one of OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE (a PEM private key for private_key_jwt).',
    );
  let privateKeyPem: string | null = null;
  if (keyFile) {
    try {
      privateKeyPem = fs.readFileSync(path.resolve(cwd, keyFile), 'utf8');
    } catch {
      throw new ConfigError(`OIDC_PRIVATE_KEY_FILE "${keyFile}" cannot be read: give the path of a PEM private key.`);
    }
  }
  const allowedTenants = (env.OIDC_ALLOWED_TENANTS ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = allowedTenants.find((t) => !/^[0-9a-f-]{36}$/.test(t) && !/^[\w.-]+$/.test(t));
  if (bad) throw new ConfigError(`OIDC_ALLOWED_TENANTS must be tenant ids separated by commas; got "${bad}".`);
  if (/\/(organizations|common)\//.test(url.pathname) && allowedTenants.length === 0)
    throw new ConfigError(
      'OIDC_ISSUER is multi-tenant (organizations or common): list the tenants allowed to sign in in OIDC_ALLOWED_TENANTS.',
    );
  return {
    issuer,
    clientId,
    clientSecret,
    privateKeyPem,
    redirectUrl: env.OIDC_REDIRECT_URL?.trim() || `${baseUrl}/auth/oidc/callback`,
    postLogoutRedirectUrl: env.OIDC_POST_LOGOUT_URL?.trim() || `${baseUrl}/login`,
    allowedTenants,
    label: env.OIDC_LABEL?.trim() || 'Sign in with your council account',
    allowHttp,
  };
}

/** CLAMD_SOCKET or CLAMD_HOST (+ CLAMD_PORT), DOCUMENT_SCANNING=off, DOCUMENTS_DIR, DOCUMENT_MAX_MB. */
function documents(env: Env, cwd: string, demoMode: boolean): DocumentsConfig {
  const socket = env.CLAMD_SOCKET?.trim() || null;
  const host = env.CLAMD_HOST?.trim() || null;
  if (socket && host) throw new ConfigError('Set CLAMD_SOCKET or CLAMD_HOST for the virus scanner, not both.');
  const clamd: ClamdAddress | null = socket
    ? { socket: path.resolve(cwd, socket) }
    : host
      ? { host, port: int(env, 'CLAMD_PORT', 3310, 1, 65535) }
      : null;
  const chosen = env.DOCUMENT_SCANNING?.trim() || null;
  if (chosen !== null && chosen !== 'off' && chosen !== 'clamd')
    throw new ConfigError(`DOCUMENT_SCANNING must be clamd or off; got "${chosen}".`);
  if (chosen === 'clamd' && !clamd)
    throw new ConfigError('DOCUMENT_SCANNING=clamd needs CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT.');
  if (chosen === 'off' && clamd)
    throw new ConfigError('DOCUMENT_SCANNING=off contradicts CLAMD_SOCKET/CLAMD_HOST: remove one of them.');
  const scanning = clamd ? 'clamd' : chosen === 'off' || demoMode ? 'off' : 'unavailable';
  const dir = env.DOCUMENTS_DIR?.trim() ? path.resolve(cwd, env.DOCUMENTS_DIR.trim()) : null;
  return { scanning, clamd, dir, maxBytes: int(env, 'DOCUMENT_MAX_MB', 20, 1, 100) * 1024 * 1024 };
}

/** A comma-separated list of mail domains, e.g. "nhs.net, devon.gov.uk". */
function domains(env: Env, name: string): string[] {
  const list = (env[name] ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.find((d) => !/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(d));
  if (bad) throw new ConfigError(`${name} must be mail domains separated by commas, like nhs.net; got "${bad}".`);
  return list;
}
