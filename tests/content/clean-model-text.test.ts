import { describe, expect, it } from 'vitest';
import { cleanModelText, countWords } from '../../src/content/llm/clean-model-text.ts';
import { createConcurrencyLimit } from '../../src/core/concurrency-limit.ts';

describe('cleanModelText: a model answer as untrusted text', () => {
  it('drops reasoning blocks, tags, scripts and Markdown, keeping the words', () => {
    expect(cleanModelText('<think>The user wants…</think>\n**Ferries** resume at _dawn_ after the <b>storm</b>.')).toBe(
      'Ferries resume at _dawn_ after the storm.',
    );
    expect(cleanModelText('<script>alert(1)</script><p>Pier reopens.</p><img src=x onerror=alert(2)>')).toBe(
      'Pier reopens.',
    );
    expect(cleanModelText('## Summary\n- The council voted.\n- The budget *passed*.')).toBe(
      'Summary The council voted. The budget passed.',
    );
    expect(cleanModelText('<thinking>never closed and long')).toBe('');
  });

  it('removes control, zero-width and bidi characters and collapses whitespace', () => {
    expect(cleanModelText('Port\u0000 closes\u001b[31m\t\n\n at\u200b noon\u202e today.\u0085')).toBe(
      'Port closes [31m at noon today.',
    );
  });

  it('drops a preamble and quotes around the whole answer, not quotes inside it', () => {
    expect(cleanModelText('Here is a short summary of the article:\n"Ferries resume."')).toBe('Ferries resume.');
    expect(cleanModelText('Summary: The mayor said "no" twice.')).toBe('The mayor said "no" twice.');
    expect(cleanModelText('"No," said the mayor, "not today."')).toBe('"No," said the mayor, "not today."');
  });

  it('keeps a less-than sign that is not a tag', () => {
    expect(cleanModelText('Fewer than 3 < 5 ferries ran.')).toBe('Fewer than 3 < 5 ferries ran.');
    expect(countWords('  one two\nthree ')).toBe(3);
  });
});

describe('createConcurrencyLimit', () => {
  it('runs at most max tasks at once, in arrival order, and passes results and errors through', async () => {
    const limit = createConcurrencyLimit(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const task = (i: number) =>
      limit(async () => {
        started.push(i);
        active += 1;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active -= 1;
        if (i === 3) throw new Error('three');
        return i;
      });
    const all = [0, 1, 2, 3, 4].map((i) => task(i).catch((error: Error) => error.message));
    while (started.length < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    while (gates.length) gates.shift()!();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 'three', 4]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });
});
