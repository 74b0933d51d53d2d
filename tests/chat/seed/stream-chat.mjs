// DocBit's chat seed, "Stream Chat Response" JavaScript example: the
// streamChat function verbatim, except for the base URL (QUIRE_BASE
// instead of https://api.docbit.ai) and the key (QUIRE_KEY as API_KEY).
// Run: node stream-chat.mjs "question" (QUIRE_BASE, QUIRE_KEY set).
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const API_KEY = process.env.QUIRE_KEY;

async function streamChat(message) {
  const response = await fetch(`${BASE}/api/ai/chat/stream`, {
    method: 'POST',
    headers: {
      'Authorization': `ApiKey ${API_KEY}`,
      'X-External-Org-Id': 'acme',
      'X-External-User-Id': 'user-456',
      'X-External-Roles': '["employee"]',
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({ message })
  });

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let fullResponse = '';

  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    
    const chunk = decoder.decode(value);
    const lines = chunk.split('\n');
    
    for (const line of lines) {
      if (line.startsWith('data: ')) {
        const data = JSON.parse(line.slice(6));
        
        if (data.token) {
          fullResponse += data.token;
          process.stdout.write(data.token);
        } else if (data.citations) {
          console.log('\n\nCitations:', data.citations);
        }
      }
    }
  }
}

await streamChat(process.argv[2] ?? 'Summarize the benefits package');
