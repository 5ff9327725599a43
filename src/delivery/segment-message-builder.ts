import { createHash } from 'node:crypto';
import { personalSubject, personalValues, type PersonalValues, type TokenSlot } from '../render/personalize.ts';
import type { PersonalTokens, RenderedSegment } from '../render/render-types.ts';
import { BodyTemplate, type FilledPart } from './body-template.ts';
import type { OutgoingMessage } from './mail-transport.ts';
import { createHeadWriter, createUniqueIds, type MessageBuilderOptions, type MessageInput } from './message-builder.ts';
import type { SubscriberUrls } from './subscriber-token.ts';

/** One message of an edition: the segment it belongs to and the subscriber's values. */
export interface SegmentMessageInput {
  editionId: string;
  recipient: MessageInput['recipient'];
  segment: RenderedSegment;
  tokens: PersonalTokens;
  urls: SubscriberUrls;
}

export type BuildSegmentMessage = (input: SegmentMessageInput) => OutgoingMessage;

export interface SegmentMessageBuilderOptions extends MessageBuilderOptions {
  /**
   * Whether the server takes 8-bit bodies (it advertised 8BITMIME): asked per message,
   * since the transport learns it from its first connection. Without it, a part that is
   * not plain ASCII goes quoted-printable.
   */
  allow8bit?: () => boolean;
}

/** The encoded bodies of one segment, shared by every message of the segment. */
interface SegmentBodies {
  boundary: string;
  text: BodyTemplate;
  html: BodyTemplate;
}

function partHeader(boundary: string, type: 'plain' | 'html', encoding: string): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`,
    'latin1',
  );
}

/**
 * Builds each message of an edition from its segment's pre-encoded bodies (body-template.ts):
 * the MIME work (quoted-printable or none) is done once per segment, and per message only
 * the headers and the token values are written. The message carries the DKIM body hash as
 * a function, computed from pre-canonicalized pieces only when the transport signs.
 */
export function createSegmentMessageBuilder(options: SegmentMessageBuilderOptions): BuildSegmentMessage {
  const writeHead = createHeadWriter(options);
  const uniqueId = options.uniqueId ?? createUniqueIds();
  const allow8bit = options.allow8bit ?? (() => false);
  // Keyed by the segment object: when the segment cache lets a rendering go, its bodies go too.
  const bodies = new WeakMap<RenderedSegment, SegmentBodies>();
  const bodiesOf = (segment: RenderedSegment): SegmentBodies => {
    let found = bodies.get(segment);
    if (!found) {
      const boundary = `--=_tidings_${uniqueId()}`;
      found = {
        boundary,
        text: new BodyTemplate(segment.text, boundary),
        html: new BodyTemplate(segment.html, boundary),
      };
      bodies.set(segment, found);
    }
    return found;
  };

  return (input) => {
    const values = personalValues(input.segment, input.tokens);
    const { messageId, envelope, head } = writeHead({
      editionId: input.editionId,
      recipient: input.recipient,
      subject: personalSubject(input.segment, values),
      urls: input.urls,
    });
    const { boundary, text, html } = bodiesOf(input.segment);
    const eightBit = allow8bit();
    const textPart = text.fill(slotValue(values.text, values.textInUrl), eightBit);
    const htmlPart = html.fill(slotValue(values.html, values.htmlInUrl), eightBit);
    const body = bodyPieces(boundary, textPart, htmlPart);
    const headBytes = Buffer.from(
      `${head}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`,
      'latin1',
    );
    const raw = Buffer.concat([headBytes, ...body.pieces]);
    return {
      messageId,
      envelope,
      raw,
      editionId: input.editionId,
      subscriberId: input.recipient.id,
      eightBit: textPart.encoding === '8bit' || htmlPart.encoding === '8bit',
      bodyHash: () => {
        const hash = createHash('sha256');
        for (const piece of body.canonical()) hash.update(piece);
        return hash.digest('base64');
      },
    };
  };
}

function slotValue(plain: PersonalValues['text'], inUrl: PersonalValues['text']): (slot: TokenSlot) => string {
  return (slot) => (slot.urlEncoded ? inUrl : plain)[slot.token];
}

/**
 * The multipart/alternative body: text, then HTML, then the closing delimiter. Every
 * piece is whole lines: each part ends with the CRLF that belongs to the next delimiter
 * (a hard line break in quoted-printable too, never a soft one).
 */
function bodyPieces(boundary: string, text: FilledPart, html: FilledPart): FilledPart {
  const textHeader = partHeader(boundary, 'plain', text.encoding);
  const htmlHeader = partHeader(boundary, 'html', html.encoding);
  const end = Buffer.from(`--${boundary}--\r\n`, 'latin1');
  return {
    encoding: text.encoding,
    pieces: [textHeader, ...text.pieces, htmlHeader, ...html.pieces, end],
    canonical: () => [textHeader, ...text.canonical(), htmlHeader, ...html.canonical(), end],
  };
}
