import { describe, expect, it } from 'vitest';
import { renderIntroLine } from '../../src/render/intro-markdown.ts';
import { escapeHtml } from '../../src/render/safe-url.ts';

describe("the intro's inline Markdown", () => {
  it('renders bold, italic and http(s) links; escapes everything else; javascript: links stay text', () => {
    const line =
      'A **big** day, *really* _quiet_; see [the map](https://example.org/m?a=1&b="2") or [this](javascript:alert(1)) <b>x</b>';
    expect(renderIntroLine(line, 'html', escapeHtml)).toBe(
      'A <strong>big</strong> day, <em>really</em> <em>quiet</em>; see <a href="https://example.org/m?a&#x3D;1&amp;b&#x3D;%222%22">the map</a> or [this](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt;',
    );
    expect(renderIntroLine(line, 'text', (s) => s)).toBe(
      'A big day, really quiet; see the map (https://example.org/m?a=1&b=%222%22) or [this](javascript:alert(1)) <b>x</b>',
    );
  });
});
