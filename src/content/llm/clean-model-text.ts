/**
 * A model's answer is untrusted text, like any source field: it may carry HTML, Markdown,
 * a reasoning block, control characters or a chatty preamble. What is left is one line
 * of plain text, escaped later wherever it is shown (templates escape it like a title).
 */
const REASONING = /<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi;
const UNCLOSED_REASONING = /<(think|thinking|reasoning)>[\s\S]*$/i;
const SCRIPTS = /<(script|style)\b[\s\S]*?<\/\1\s*>/gi;
const TAGS = /<\/?[a-z!?][^<>]*>/gi;
// Block tags separate words; inline ones (<b>, <a>) sit inside them.
const BLOCK_TAG = /^<\/?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre|section|article|hr|table)\b/i;
// C0 and C1 controls, DEL, zero-width and bidirectional controls (they reorder a line on screen).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const PREAMBLE = /^(?:(?:here is|here's) (?:a |the )?(?:short |brief |concise )?summary[^:\n]*:|summary:)\s*/i;

export function cleanModelText(raw: string): string {
  let text = raw.replace(REASONING, ' ').replace(UNCLOSED_REASONING, ' ');
  text = text.replace(SCRIPTS, ' ').replace(TAGS, (tag) => (BLOCK_TAG.test(tag) ? ' ' : ''));
  // Markdown that would show as stray symbols in a mail: headings, bullets, emphasis, code.
  text = text
    .replace(/^\s{0,3}(?:#{1,6}\s+|[-*+•]\s+|>\s?)/gm, '')
    .replace(/(\*\*|__|`+)/g, '')
    .replace(/(^|[\s(])\*(\S[^*\n]*?)\*(?=[\s).,;:!?]|$)/g, '$1$2');
  text = text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  text = text.replace(PREAMBLE, '').trim();
  // A summary wrapped in quotes as a whole: the quotes are the model's, not the story's.
  const quoted = /^["“«](.*)["”»]$/.exec(text);
  if (quoted && !/["“”«»]/.test(quoted[1]!)) text = quoted[1]!.trim();
  return text;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
