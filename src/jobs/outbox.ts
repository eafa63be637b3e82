// The email outbox sender (quality.md R6). Emails are written to `outbox` in the same transaction as whatever
// caused them (src/modules/notifications/outbox.ts); this sends them.
//
// Delivery is at-least-once, with a lease:
// - sendDue first claims due rows in one committed statement (status 'sending', a lease in claimed_until, attempts
//   counted), and only then sends. Two senders, in one process or many, never hold the same row at once.
// - A crash after the causing transaction committed but before any sender ran loses nothing: the row waits as
//   pending and the next sender sends it, once.
// - A crash while a row is claimed leaves it 'sending'; when the lease runs out another sender takes it again.
//   If the crash fell between the mail server accepting the message and the row being marked sent, that is a
//   second copy. Each copy carries the same Message-ID, <outbox-id@handover>, so it can be recognised.
// - A refused or unreachable mail server sends the row back to pending with exponential backoff (1, 2, 4, … minutes,
//   at most an hour) and the error in last_error; after MAX_ATTEMPTS it is 'failed', shown on /admin/outbox with
//   "Retry now". Nothing is dropped.
// Time is a parameter: `now` stamps claims, leases, backoff and sent_at, so tests run on a fixed clock.
import nodemailer, { type Mail, type SMTPSentMessageInfo, type SMTPTransportOptions } from 'nodemailer';
import { NotifyClient } from 'notifications-node-client';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { headersAreSafe, messageIdFor } from '../domain/mail.ts';
import {
  claimDueEmails,
  markEmailAttemptFailed,
  markEmailSent,
  type OutboxRow,
  releaseEmail,
} from '../modules/notifications/repository.ts';

export const MAX_ATTEMPTS = 8;
export const DEFAULT_LEASE_MS = 10 * 60_000;
export const DEFAULT_BATCH = 20;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_CAP_MS = 60 * 60_000;
const ERROR_MAX_CHARS = 300;

export interface OutgoingEmail {
  id: string;
  reference: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
}

export interface Delivery {
  /** The provider's id for the message (SMTP: the server's queue reply; Notify: notification ids). */
  providerId: string | null;
  /** Something an administrator may want to know about a message that did go (e.g. one recipient refused). */
  note?: string | null;
}

export interface MailTransport {
  readonly name: 'smtp' | 'notify' | 'log';
  send(email: OutgoingEmail): Promise<Delivery>;
  close(): Promise<void>;
}

/** Delay before the next attempt after `attempts` failed ones: 1 min, 2, 4, … capped at 1 h. No jitter. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

/**
 * An error as one short line for last_error and the admin page. Email addresses are blanked (a server's refusal
 * usually quotes the recipient); nothing else of a message is ever in an error. Never the error object itself:
 * an HTTP client's error carries the request, with its Authorization header.
 */
export function describeError(e: unknown): string {
  let text: string;
  const err = e as {
    message?: unknown;
    responseCode?: unknown;
    response?: { status?: unknown; data?: { errors?: { error?: unknown; message?: unknown }[] } };
  };
  if (err?.response && typeof err.response.status === 'number') {
    const details = (Array.isArray(err.response.data?.errors) ? err.response.data.errors : [])
      .map((x) => [x.error, x.message].filter((v) => typeof v === 'string').join(': '))
      .filter(Boolean)
      .join('; ');
    text = `Notify answered ${err.response.status}${details ? `: ${details}` : ''}`;
  } else {
    text = typeof err?.message === 'string' && err.message ? err.message : 'Unknown error';
  }
  return text
    .replace(/[^\s<>@"',;:]+@[^\s<>@"',;:]+/g, '[address]')
    .replace(/[\r\n\t]+/g, ' ')
    .slice(0, ERROR_MAX_CHARS);
}

// ---- transports

/** SMTP through nodemailer, one connection per message. Timeouts are kept well inside the lease. */
export class SmtpTransport implements MailTransport {
  readonly name = 'smtp' as const;
  private readonly transporter: Mail<SMTPSentMessageInfo, SMTPTransportOptions>;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    });
  }

  async send(email: OutgoingEmail): Promise<Delivery> {
    const info = await this.transporter.sendMail({
      from: this.from,
      to: email.to,
      cc: email.cc.length ? email.cc : undefined,
      subject: email.subject,
      text: email.body,
      messageId: messageIdFor(email.id),
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const refused = info.rejected.length;
    return {
      // The server's "queued as …" reply, which is what its own logs are searched by.
      providerId: info.response ? describeError({ message: info.response }).slice(0, 200) : null,
      note: refused ? `The mail server refused ${refused} of ${email.to.length + email.cc.length} recipients` : null,
    };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * GOV.UK Notify: one email per recipient (to and cc alike), through a template with ((subject)) and ((body)).
 * If a later recipient fails, the retry sends to the earlier ones again: at-least-once, as for SMTP.
 */
export class NotifyTransport implements MailTransport {
  readonly name = 'notify' as const;
  private readonly client: NotifyClient;

  /** baseUrl: for tests only (a local fake); production uses the client's built-in Notify address. */
  constructor(
    apiKey: string,
    private readonly templateId: string,
    baseUrl?: string,
  ) {
    this.client = baseUrl ? new NotifyClient(baseUrl, apiKey) : new NotifyClient(apiKey);
  }

  async send(email: OutgoingEmail): Promise<Delivery> {
    const ids: string[] = [];
    for (const address of [...email.to, ...email.cc]) {
      const res = await this.client.sendEmail(this.templateId, address, {
        personalisation: { subject: email.subject, body: email.body },
        reference: email.reference,
      });
      ids.push(String(res.data.id));
    }
    return { providerId: ids.join(',').slice(0, 1000) };
  }

  async close(): Promise<void> {}
}

/** Demo mode only: nothing leaves the machine. The message stays in the outbox, readable by an administrator at /dev/mail. */
export class LogTransport implements MailTransport {
  readonly name = 'log' as const;
  async send(): Promise<Delivery> {
    return { providerId: null };
  }
  async close(): Promise<void> {}
}

export function createTransport(
  config: Pick<Config, 'mailTransport' | 'smtpUrl' | 'mailFrom' | 'notifyApiKey' | 'notifyTemplateId' | 'demoMode'>,
): MailTransport {
  switch (config.mailTransport) {
    case 'smtp':
      if (!config.smtpUrl) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL');
      return new SmtpTransport(config.smtpUrl, config.mailFrom);
    case 'notify':
      if (!config.notifyApiKey || !config.notifyTemplateId)
        throw new Error('MAIL_TRANSPORT=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID');
      return new NotifyTransport(config.notifyApiKey, config.notifyTemplateId);
    case 'log':
      if (!config.demoMode) throw new Error('MAIL_TRANSPORT=log works only in demo mode');
      return new LogTransport();
    case 'off':
      throw new Error('MAIL_TRANSPORT=off: email is turned off, so there is no transport and the sender does not run');
  }
}

// ---- the sender

export interface SendOptions {
  /** Most rows one call claims. */
  batch?: number;
  /** How long a claim lasts before another sender may take the row again. */
  leaseMs?: number;
  maxAttempts?: number;
}

export interface SendResult {
  sent: number;
  /** Gave up after the last attempt: now 'failed'. */
  failed: number;
  /** Not delivered this time; pending again with backoff. */
  retried: number;
  /** Claimed but not tried before the batch ran out of time; pending again, attempt not counted. */
  released: number;
}

/**
 * Sends what is due. Safe to call concurrently from any number of processes: each row is claimed by one sender
 * per lease. Sends one by one; stops trying new rows once half the lease is used, so a slow server cannot make a
 * claim run out while its sender is still working through the batch.
 */
export async function sendDue(
  db: Db,
  transport: MailTransport,
  now: Date,
  opts: SendOptions = {},
): Promise<SendResult> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  const result: SendResult = { sent: 0, failed: 0, retried: 0, released: 0 };
  const rows = await claimDueEmails(db, now, leaseMs, opts.batch ?? DEFAULT_BATCH);
  const started = performance.now();
  for (const row of rows) {
    if (performance.now() - started > leaseMs / 2) {
      await releaseEmail(db, row.id, row.attempts, now);
      result.released++;
      continue;
    }
    let delivery: Delivery;
    try {
      delivery = await transport.send(toEmail(row));
    } catch (e) {
      // A row that could inject headers will never be sendable: no point retrying it.
      const permanent = e instanceof UnsafeHeader;
      const give = permanent || row.attempts >= maxAttempts;
      const updated = await markEmailAttemptFailed(db, row.id, row.attempts, {
        status: give ? 'failed' : 'pending',
        nextAttemptAt: give ? now : new Date(now.getTime() + backoffMs(row.attempts)),
        error: permanent ? (e as Error).message : describeError(e),
      });
      if (updated) result[give ? 'failed' : 'retried']++;
      continue;
    }
    // Outside the try: if this write fails the message did go, and must not be counted as a failed attempt.
    await markEmailSent(db, row.id, {
      at: now,
      transport: transport.name,
      providerId: delivery.providerId,
      note: delivery.note ?? null,
    });
    result.sent++;
  }
  return result;
}

class UnsafeHeader extends Error {}

/** Rows are checked on the way in (enqueueEmail); checked again here, as a row may have been written otherwise. */
function toEmail(row: OutboxRow): OutgoingEmail {
  if (!headersAreSafe(row.subject, [...row.to_addresses, ...row.cc_addresses]))
    throw new UnsafeHeader('Refused: a line break in the subject or an address, or an address that is not one address');
  return {
    id: row.id,
    reference: row.reference,
    to: row.to_addresses,
    cc: row.cc_addresses,
    subject: row.subject,
    body: row.body,
  };
}
