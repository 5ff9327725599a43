/**
 * Which requests to a `/c/` link count as a reader's click. Every request is redirected;
 * only these are counted (docs/operations.md, "Aggregate clicks"):
 * - not HEAD (link checkers and scanners ask for headers only);
 * - no prefetch (`Sec-Purpose`/`Purpose: prefetch`, `X-Moz: prefetch`, `X-Purpose: preview`);
 * - a user agent, and none of the link scanners and preview fetchers in SCANNER_AGENTS;
 * - a browser's navigation: `Sec-Fetch-Mode: navigate` (with `Sec-Fetch-Dest: document`
 *   when sent); a browser too old for Fetch Metadata counts when it asks for `text/html`.
 *   Scanners and HTTP libraries send `Accept: *\/*` or nothing, or a non-navigate mode.
 */
export interface ClickRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

export type ClickVerdict =
  | { counted: true }
  | { counted: false; reason: 'head' | 'prefetch' | 'no-agent' | 'scanner' | 'no-navigation' };

/**
 * Mail security gateways that open every link of an incoming message, link-preview
 * fetchers, crawlers, headless browsers and HTTP libraries, by user agent. Gateways that
 * pose as a browser are caught by the navigation-header rule instead, when they can be.
 */
export const SCANNER_AGENTS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'Barracuda', pattern: /barracuda/i },
  { name: 'Proofpoint', pattern: /proofpoint|urldefense/i },
  { name: 'Mimecast', pattern: /mimecast/i },
  { name: 'Microsoft Safe Links / Defender', pattern: /safelinks|microsoft office|ms-office|msoffice|bingpreview/i },
  {
    name: 'Cisco, Symantec, Trend Micro, Sophos, FireEye, Forcepoint, Zscaler',
    pattern: /cisco|ironport|symantec|trend ?micro|sophos|fireeye|forcepoint|zscaler|fortiguard|checkpoint/i,
  },
  {
    name: 'Google, Yahoo image and link proxies',
    pattern: /googleimageproxy|yahoomailproxy|google-safety|google-read-aloud/i,
  },
  {
    name: 'Link previews (Slack, Teams, Discord, WhatsApp, Telegram, Skype, Facebook, Twitter, LinkedIn)',
    pattern:
      /slackbot|slack-imgproxy|discordbot|whatsapp|telegrambot|skypeuripreview|facebookexternalhit|twitterbot|linkedinbot|embedly|iframely/i,
  },
  {
    name: 'Crawlers and generic bots',
    pattern: /bot\b|bot\/|crawler|spider|scanner|preview|validator|checker|monitor/i,
  },
  { name: 'Headless browsers', pattern: /headlesschrome|phantomjs|puppeteer|playwright|selenium/i },
  {
    name: 'HTTP libraries and tools',
    pattern:
      /^(curl|wget|python|go-http-client|java\/|okhttp|axios|node-fetch|undici|libwww-perl|httpie|apache-httpclient|ruby|php)|python-requests|aiohttp/i,
  },
];

function header(request: ClickRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

export function judgeClick(request: ClickRequest): ClickVerdict {
  if (request.method.toUpperCase() === 'HEAD') return { counted: false, reason: 'head' };
  const purpose = [
    header(request, 'sec-purpose'),
    header(request, 'purpose'),
    header(request, 'x-moz'),
    header(request, 'x-purpose'),
  ]
    .join(' ')
    .toLowerCase();
  if (/prefetch|prerender|preview/.test(purpose)) return { counted: false, reason: 'prefetch' };
  const agent = header(request, 'user-agent');
  if (!agent) return { counted: false, reason: 'no-agent' };
  if (SCANNER_AGENTS.some((scanner) => scanner.pattern.test(agent))) return { counted: false, reason: 'scanner' };
  const mode = header(request, 'sec-fetch-mode').toLowerCase();
  const dest = header(request, 'sec-fetch-dest').toLowerCase();
  if (mode) {
    if (mode !== 'navigate' || (dest && dest !== 'document')) return { counted: false, reason: 'no-navigation' };
    return { counted: true };
  }
  return /\btext\/html\b/i.test(header(request, 'accept'))
    ? { counted: true }
    : { counted: false, reason: 'no-navigation' };
}
