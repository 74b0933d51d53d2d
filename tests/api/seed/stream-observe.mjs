// Runs DocBit's streamChat seed (tests/chat/seed/stream-chat.mjs)
// unchanged, and prints what it cannot: the HTTP status and any error
// event of the stream it reads ("stream error: STATUS MESSAGE"). fetch is
// wrapped only to tee the body: the seed reads the same bytes.
// SPDX-License-Identifier: GPL-3.0-or-later
const realFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await realFetch(...args);
  const [mine, theirs] = response.body.tee();
  (async () => {
    const reader = mine.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    for (const line of text.split('\n'))
      if (line.startsWith('data: ')) {
        const data = JSON.parse(line.slice(6));
        if (data.error) console.log(`stream error: ${response.status} ${data.error}`);
      }
  })();
  return new Response(theirs, { status: response.status, headers: response.headers });
};
await import(new URL('../../chat/seed/stream-chat.mjs', import.meta.url));
