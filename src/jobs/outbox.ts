// The email outbox sender (quality.md R6). Emails are written to `outbox` in the same transaction as whatever
// caused them (src/modules/notifications/outbox.ts); this sends them.
//
// Delivery is at-least-once, with a lease, one row at a time:
// - sendDue claims one due row in a committed statement (status 'sending', a lease in claimed_until, attempts
//   counted) just before sending it: the claim is the in-flight mark, and the Message-ID, <outbox-id@handover>,
//   follows from the row's id. Two senders, in one process or many, never hold the same row at once.
// - A crash after the causing transaction committed but before any sender ran loses nothing: the row waits as
//   pending and the next sender sends it, once.
// - A crash while a row is in flight leaves only that row 'sending' (the rest of a batch was never claimed, so
//   other senders carry on at once); when its lease runs out another sender takes it again, `reclaimed`. If the
//   crash fell between the mail server accepting the message and the row being marked sent, that is a second
//   copy: over SMTP it carries the same Message-ID (receiving systems can recognise it) and the row's note says a
//   second copy is possible; over GOV.UK Notify each request carries the row id as `reference`, and a reclaimed
//   row first asks Notify which recipients it already accepted under that reference, and sends only to the rest.
// - A live sender never outlasts its lease: an SMTP send still running at half the lease is given up, and the row
//   is left in flight, to be taken back like a crashed sender's (the server may have accepted it).
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
  type ClaimedEmail,
  claimDueEmails,
  markEmailAttemptFailed,
  markEmailSent,
  type OutboxRow,
} from '../modules/notifications/repository.ts';

export const MAX_ATTEMPTS = 8;
/** How long a claim holds: after a crash, the one row that was in flight waits this long before it is sent again. */
export const DEFAULT_LEASE_MS = 3 * 60_000;
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
  /** Resuming a stopped send: recipients the provider had already accepted, not sent to again (Notify only). */
  alreadyAccepted?: number;
}

export interface SendContext {
  /** Ends a send that runs too long (the sender's lease is running out). */
  signal?: AbortSignal;
  /** The row was in flight in a sender that stopped: a transport that can ask its provider what went, does. */
  resuming?: boolean;
}

export interface MailTransport {
  readonly name: 'smtp' | 'notify' | 'log';
  send(email: OutgoingEmail, ctx?: SendContext): Promise<Delivery>;
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

  async send(email: OutgoingEmail, ctx: SendContext = {}): Promise<Delivery> {
    const info = await this.transporter.sendMail({
      signal: ctx.signal,
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
 * GOV.UK Notify: one email per recipient (to and cc alike), through a template with ((subject)) and ((body)), each
 * with the outbox row's id as `reference`. Resuming a row whose sender stopped, it first lists what Notify holds
 * under that reference and sends only to the recipients not there. If a later recipient fails, the retry sends to
 * the earlier ones again: at-least-once, as for SMTP.
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

  async send(email: OutgoingEmail, ctx: SendContext = {}): Promise<Delivery> {
    const ids: string[] = [];
    const accepted = ctx.resuming ? await this.acceptedUnder(email.id) : new Map<string, string>();
    let alreadyAccepted = 0;
    for (const address of [...email.to, ...email.cc]) {
      const earlier = accepted.get(address.toLowerCase());
      if (earlier) {
        ids.push(earlier);
        alreadyAccepted++;
        continue;
      }
      const res = await this.client.sendEmail(this.templateId, address, {
        personalisation: { subject: email.subject, body: email.body },
        reference: email.id,
      });
      ids.push(String(res.data.id));
    }
    return { providerId: ids.join(',').slice(0, 1000), alreadyAccepted };
  }

  /** Notify's notifications under this reference, by recipient (lower case); failed ones count as not sent. */
  private async acceptedUnder(reference: string): Promise<Map<string, string>> {
    const res = await this.client.getNotifications('email', undefined, reference);
    const list = (res.data as { notifications?: { id?: unknown; email_address?: unknown; status?: unknown }[] })
      .notifications;
    const found = new Map<string, string>();
    for (const n of Array.isArray(list) ? list : []) {
      if (typeof n.email_address !== 'string' || /failure/.test(String(n.status))) continue;
      found.set(n.email_address.toLowerCase(), String(n.id));
    }
    return found;
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
  /** Most rows one call sends. */
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
  /** Of `sent`: sent again after a sender stopped mid-send, so a recipient may hold two copies (same Message-ID). */
  resent: number;
}

const RESENT_NOTE =
  'Sent again after a sender stopped while sending it: a recipient may have two copies, with the same Message-ID.';
const ACCEPTED_NOTE = 'GOV.UK Notify had accepted it before a sender stopped while sending it; not sent again.';

/**
 * Sends what is due, claiming one row at a time just before sending it. Safe to call concurrently from any number
 * of processes: each row is claimed by one sender per lease. Stops claiming once half the lease is used (`now` is
 * fixed for the call, and every claim's lease is counted from it), and aborts an SMTP send after half the lease.
 */
export async function sendDue(
  db: Db,
  transport: MailTransport,
  now: Date,
  opts: SendOptions = {},
): Promise<SendResult> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  const batch = opts.batch ?? DEFAULT_BATCH;
  const result: SendResult = { sent: 0, failed: 0, retried: 0, resent: 0 };
  const started = performance.now();
  for (let n = 0; n < batch; n++) {
    if (performance.now() - started >= leaseMs / 2) break;
    const [row] = await claimDueEmails(db, now, leaseMs, 1);
    if (!row) break;
    // Claimed within the first half of the lease and given at most the second half: done before the lease ends.
    const signal = AbortSignal.timeout(Math.ceil(leaseMs / 2));
    const outcome = await sendOne(db, transport, row, now, maxAttempts, signal);
    if (outcome) result[outcome]++;
    if (outcome === 'resent') result.sent++;
  }
  return result;
}

/** Sends one claimed row and records what happened; null when another sender has taken the row meanwhile. */
async function sendOne(
  db: Db,
  transport: MailTransport,
  row: ClaimedEmail,
  now: Date,
  maxAttempts: number,
  signal: AbortSignal,
): Promise<'sent' | 'resent' | 'failed' | 'retried' | null> {
  let delivery: Delivery;
  try {
    delivery = await transport.send(toEmail(row), { signal, resuming: row.reclaimed });
  } catch (e) {
    // A send given up mid-way may have been accepted: its outcome is unknown, as after a crash. The row stays in
    // flight until its lease ends and is then taken back as `reclaimed` (counted as a possible second copy).
    if (signal.aborted && row.attempts < maxAttempts) return 'retried';
    // A row that could inject headers will never be sendable: no point retrying it.
    const permanent = e instanceof UnsafeHeader;
    const give = permanent || row.attempts >= maxAttempts;
    const updated = await markEmailAttemptFailed(db, row.id, row.attempts, {
      status: give ? 'failed' : 'pending',
      nextAttemptAt: give ? now : new Date(now.getTime() + backoffMs(row.attempts)),
      error: permanent ? (e as Error).message : describeError(e),
    });
    return updated ? (give ? 'failed' : 'retried') : null;
  }
  const recipients = row.to_addresses.length + row.cc_addresses.length;
  const all = delivery.alreadyAccepted === recipients;
  // A stopped send the provider cannot be asked about (SMTP) may have gone: counted, and said on the row.
  const resent = row.reclaimed && !all && transport.name !== 'log';
  const notes = [delivery.note, resent ? RESENT_NOTE : null, row.reclaimed && all ? ACCEPTED_NOTE : null];
  // Outside the try: if this write fails the message did go, and must not be counted as a failed attempt.
  await markEmailSent(db, row.id, {
    at: now,
    transport: transport.name,
    providerId: delivery.providerId,
    note: notes.filter(Boolean).join(' ') || null,
  });
  return resent ? 'resent' : 'sent';
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
