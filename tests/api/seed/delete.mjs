// The ChatIQ seed's "Delete Document" request (DELETE
// /api/v1/documents/:id) in the seed's fetch style. Usage: node delete.mjs ID.
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;
const documentId = process.argv[2];

const response = await fetch(`${BASE}/api/v1/documents/${documentId}`, {
method: "DELETE",
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const result = await response.json();
console.log(`status ${response.status}`);
console.log(`success ${result.success}`);
