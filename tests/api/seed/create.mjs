// The ChatIQ seed's "Create Document" request, in the seed's own fetch
// style; only the base URL (QUIRE_BASE instead of https://chatiq.io) and
// the key (QUIRE_KEY) differ. Prints the status and the document.
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;

const createResponse = await fetch(`${BASE}/api/v1/documents`, {
method: "POST",
headers: {
"Content-Type": "application/json",
Authorization: `Bearer ${apiKey}`,
},
body: JSON.stringify({
"title": "Product Information",
"content": "Your document content here...",
"tags": ["product", "info"]
}),
});
const { document } = await createResponse.json();
console.log(`Document created: ${document.id}`);
console.log(`status ${createResponse.status}`);
console.log(`document ${JSON.stringify(document)}`);
