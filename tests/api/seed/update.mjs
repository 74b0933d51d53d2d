// The ChatIQ seed's "Update Document" request (PUT /api/v1/documents/:id,
// the seed's body) in the seed's fetch style. Usage: node update.mjs ID.
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;
const documentId = process.argv[2];

const response = await fetch(`${BASE}/api/v1/documents/${documentId}`, {
method: "PUT",
headers: {
"Content-Type": "application/json",
Authorization: `Bearer ${apiKey}`,
},
body: JSON.stringify({
"title": "Updated Title",
"content": "Updated content...",
"tags": ["updated", "tags"]
}),
});
const { document } = await response.json();
console.log(`status ${response.status}`);
console.log(`document ${JSON.stringify(document)}`);
