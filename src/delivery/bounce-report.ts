/**
 * Reads what comes back to the return path: delivery status notifications (RFC 3464,
 * `multipart/report; report-type=delivery-status`) and complaint feedback reports (ARF,
 * RFC 5965, `report-type=feedback-report`). Pure: bytes in, a report or the reason it is
 * not one out. Which delivery it names is decided by the caller from `addresses`.
 * The MIME split is done here: mailparser folds message/delivery-status parts into the
 * text body, and a report is one level of parts with small header blocks.
 */
export type FeedbackReport =
  | {
      kind: 'bounce';
      /** 'hard' for 5.x.x (permanent), 'soft' for 4.x.x or a delay (temporary). */
      severity: 'hard' | 'soft';
      status: string;
      finalRecipient: string | null;
      diagnostic: string | null;
      /** Where a VERP address may be: the report's own To and delivery headers, the returned message's Return-Path. */
      addresses: string[];
    }
  | { kind: 'complaint'; feedbackType: string; originalRecipient: string | null; addresses: string[] }
  /** A report that says the message was delivered, relayed or expanded: nothing to act on. */
  | { kind: 'not-a-failure'; action: string; addresses: string[] }
  | { kind: 'malformed'; reason: string };

/** Larger messages are not reports (a report carries the returned headers, at most the message). */
export const MAX_REPORT_BYTES = 1024 * 1024;

type Fields = Map<string, string>;

/** `Name: value` blocks separated by blank lines, continuation lines unfolded; names lower-cased. */
export function parseFieldBlocks(text: string): Fields[] {
  const blocks: Fields[] = [];
  let current: Fields = new Map();
  let last: string | null = null;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (!line.trim()) {
      if (current.size) blocks.push(current);
      current = new Map();
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size) blocks.push(current);
  return blocks;
}

/** `rfc822; someone@example.org` → the address. */
function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return address.trim().replace(/^<|>$/g, '') || null;
}

/** One part of the report: its header fields and its decoded body. */
interface MimePart {
  fields: Fields;
  body: string;
}

function splitHead(text: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  return match
    ? { head: text.slice(0, match.index), body: text.slice(match.index + match[0].length) }
    : { head: text, body: '' };
}

/** `type/subtype; name=value; name="value"` → the type (lower case) and the parameters. */
function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = (value ?? '').split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params.set(
        param.slice(0, eq).trim().toLowerCase(),
        param
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const kind = (encoding ?? '').trim().toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind === 'quoted-printable') {
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return body;
}

/** The direct parts of a multipart body (no nesting: a report's parts are leaves or a returned message). */
function splitParts(body: string, boundary: string): MimePart[] {
  const delimiter = `--${boundary}`;
  const sections = body.split(new RegExp(`^${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \t]*\r?$`, 'm'));
  // The first section is the preamble, the last the epilogue after the closing delimiter.
  return sections.slice(1, -1).map((section) => {
    const { head, body: partBody } = splitHead(section.replace(/^\r?\n/, ''));
    const fields = parseFieldBlocks(head)[0] ?? new Map<string, string>();
    return { fields, body: decodeBody(partBody, fields.get('content-transfer-encoding')) };
  });
}

/** Addresses in a header value: inside angle brackets, or bare. */
function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((m) => m[1]!);
  return bracketed.length
    ? bracketed
    : value
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a.includes('@'));
}

function headerAddresses(fields: Fields): string[] {
  return ['to', 'delivered-to', 'x-original-to', 'envelope-to'].flatMap((name) => addressesIn(fields.get(name)));
}

/** The Return-Path (our envelope sender) of the returned message or headers. */
function returnedReturnPath(returned: MimePart | undefined): string[] {
  if (!returned) return [];
  return addressesIn(parseFieldBlocks(splitHead(returned.body).head)[0]?.get('return-path'));
}

const STATUS = /^([245])\.\d{1,3}\.\d{1,3}$/;

interface Report {
  fields: Fields;
  parts: MimePart[];
}

function part(report: Report, ...types: string[]): MimePart | undefined {
  return report.parts.find((p) => types.includes(parseContentType(p.fields.get('content-type')).type));
}

function readDsn(mail: Report): FeedbackReport {
  const statusPart = part(mail, 'message/delivery-status', 'message/global-delivery-status');
  if (!statusPart)
    return { kind: 'malformed', reason: 'report-type=delivery-status without a message/delivery-status part' };
  const blocks = parseFieldBlocks(statusPart.body);
  const recipients = blocks.slice(1).filter((block) => block.has('action') || block.has('status'));
  if (!recipients.length)
    return { kind: 'malformed', reason: 'the delivery status has no per-recipient fields (Action, Status)' };
  const addresses = [
    ...headerAddresses(mail.fields),
    ...returnedReturnPath(part(mail, 'message/rfc822', 'text/rfc822-headers', 'message/global')),
  ];
  // The worst outcome wins: one failed recipient makes it a bounce.
  const failed =
    recipients.find((block) => (block.get('action') ?? '').toLowerCase() === 'failed') ??
    recipients.find((block) => (block.get('action') ?? '').toLowerCase() === 'delayed');
  if (!failed)
    return { kind: 'not-a-failure', action: (recipients[0]!.get('action') ?? 'unknown').toLowerCase(), addresses };
  const status = (failed.get('status') ?? '').split(/\s/)[0]!;
  const match = STATUS.exec(status);
  if (!match)
    return {
      kind: 'malformed',
      reason: `Status ${JSON.stringify(status.slice(0, 20))} is not a status code such as 5.1.1`,
    };
  if (match[1] === '2') return { kind: 'not-a-failure', action: 'delivered', addresses };
  return {
    kind: 'bounce',
    severity: match[1] === '5' && (failed.get('action') ?? '').toLowerCase() === 'failed' ? 'hard' : 'soft',
    status,
    finalRecipient: typedAddress(failed.get('final-recipient')) ?? typedAddress(failed.get('original-recipient')),
    diagnostic: typedAddress(failed.get('diagnostic-code'))?.slice(0, 500) ?? null,
    addresses,
  };
}

function readArf(mail: Report): FeedbackReport {
  const reportPart = part(mail, 'message/feedback-report');
  if (!reportPart)
    return { kind: 'malformed', reason: 'report-type=feedback-report without a message/feedback-report part' };
  const fields = parseFieldBlocks(reportPart.body)[0] ?? new Map<string, string>();
  const feedbackType = (fields.get('feedback-type') ?? '').toLowerCase();
  if (!feedbackType) return { kind: 'malformed', reason: 'the feedback report has no Feedback-Type' };
  const addresses = [
    ...addressesIn(fields.get('original-mail-from')),
    ...returnedReturnPath(part(mail, 'message/rfc822', 'text/rfc822-headers')),
    ...headerAddresses(mail.fields),
  ];
  return {
    kind: 'complaint',
    feedbackType,
    originalRecipient: typedAddress(fields.get('original-rcpt-to')),
    addresses,
  };
}

export function readFeedbackReport(raw: Buffer): FeedbackReport {
  if (raw.length > MAX_REPORT_BYTES)
    return { kind: 'malformed', reason: `larger than ${MAX_REPORT_BYTES / 1024} KB: not a report` };
  const { head, body } = splitHead(raw.toString('latin1'));
  const fields = parseFieldBlocks(head)[0];
  if (!fields?.has('from')) return { kind: 'malformed', reason: 'not a mail message (no From header)' };
  const { type, params } = parseContentType(fields.get('content-type'));
  const reportType = (params.get('report-type') ?? '').toLowerCase();
  if (type !== 'multipart/report')
    return {
      kind: 'malformed',
      reason: `a ${type || 'text/plain'} message is not a multipart/report (not a DSN or feedback report)`,
    };
  const boundary = params.get('boundary');
  if (!boundary) return { kind: 'malformed', reason: 'multipart/report without a boundary' };
  const report = { fields, parts: splitParts(body, boundary) };
  if (reportType === 'delivery-status') return readDsn(report);
  if (reportType === 'feedback-report') return readArf(report);
  return {
    kind: 'malformed',
    reason: `report-type=${reportType || '(none)'} is neither delivery-status nor feedback-report`,
  };
}
