// The ChatIQ seed's waitForEmbedding, verbatim except for the base URL,
// run on one document. Usage: node wait.mjs ID (QUIRE_BASE, QUIRE_KEY).
// It prints the seed's progress lines, then FINAL <status>; a failed
// document makes the seed throw "Embedding failed" (exit status 1).
// SPDX-License-Identifier: GPL-3.0-or-later
const BASE = process.env.QUIRE_BASE;
const KEY = process.env.QUIRE_KEY;

async function waitForEmbedding(documentId, apiKey, interval = 2000) {
while (true) {
const response = await fetch(
`${BASE}/api/v1/documents/${documentId}/embeddings/status`,
{
headers: {
Authorization: `Bearer ${apiKey}`,
},
}
);
const status = await response.json();
console.log(`Progress: ${status.percentage}%`);
if (status.status === "completed") {
return status;
}
if (status.status === "failed" && status.progress.pending === 0) {
throw new Error("Embedding failed");
}
// Wait before next poll
await new Promise((resolve) => setTimeout(resolve, interval));
}
}

const final = await waitForEmbedding(process.argv[2], KEY, 200);
console.log(`FINAL ${final.status}`);
