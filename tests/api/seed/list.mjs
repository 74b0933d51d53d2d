// The ChatIQ seed's "List Documents" request (GET /api/v1/documents) in the
// seed's fetch style. Usage: node list.mjs (QUIRE_BASE, QUIRE_KEY).
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;

const response = await fetch(`${BASE}/api/v1/documents`, {
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const body = await response.json();
console.log(`status ${response.status}`);
if (response.ok) {
const { documents } = body;
console.log(`count ${documents.length}`);
console.log(`documents ${JSON.stringify(documents)}`);
} else {
console.log(`error ${JSON.stringify(body.error)}`);
}
