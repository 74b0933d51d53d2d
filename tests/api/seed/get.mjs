// The ChatIQ seed's "Get Document" request (GET /api/v1/documents/:id) in
// the seed's fetch style. Usage: node get.mjs ID (QUIRE_BASE, QUIRE_KEY).
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;
const documentId = process.argv[2];

const response = await fetch(`${BASE}/api/v1/documents/${documentId}`, {
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const body = await response.json();
console.log(`status ${response.status}`);
if (response.ok) {
console.log(`document ${JSON.stringify(body.document)}`);
} else {
console.log(`error ${JSON.stringify(body.error)}`);
}
