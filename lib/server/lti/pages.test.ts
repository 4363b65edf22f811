import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlPage, newWindowPage, refusalPage, scriptJson } from './pages.ts';

describe('LTI pages', () => {
  it('are whole documents in their language with one heading in a main landmark', async () => {
    const page = await htmlPage({ lang: 'zh', title: '标题', body: '<p>x</p>' }).text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<main><h1>标题</h1><p>x</p></main>');
    expect(page.match(/<h1>/g)).toHaveLength(1);
    expect(page).toContain('name="viewport"');
  });

  it('announce a refusal as an alert, with the detail for an administrator folded away', async () => {
    const response = refusalPage('token-expired', 'token-expired: "exp" claim <failed>', 'en', 400);
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('<div role="alert"><p>The sign-in token has expired.</p>');
    expect(page).toContain('<details><summary>Details for the administrator</summary>');
    expect(page).toContain('&quot;exp&quot; claim &lt;failed&gt;');
  });

  it('open a new window with a link a keyboard reaches', async () => {
    const page = await newWindowPage('/api/lti/enter?handoff=a&b', 'en').text();
    expect(page).toContain(
      '<a class="button" href="/api/lti/enter?handoff=a&amp;b" target="_blank" rel="noopener">Open in a new window</a>',
    );
  });

  it('escape text and script data', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(scriptJson({ v: '</script><!--' })).toBe('{"v":"\\u003c/script>\\u003c!--"}');
  });
});
