// The ChatIQ seed's "Complete Example: Upload and Track" and
// waitForEmbedding, verbatim except for the base URL (and the key, passed
// in). Run: node track.mjs (QUIRE_BASE, QUIRE_KEY in the environment).
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

async function uploadDocumentWithTracking(title, content, apiKey) {
// 1. Create document
const createResponse = await fetch(`${BASE}/api/v1/documents`, {
method: "POST",
headers: {
"Content-Type": "application/json",
Authorization: `Bearer ${apiKey}`,
},
body: JSON.stringify({ title, content }),
});
const { document } = await createResponse.json();
console.log(`Document created: ${document.id}`);
// 2. Poll for embedding status
while (true) {
const statusResponse = await fetch(
`${BASE}/api/v1/documents/${document.id}/embeddings/status`,
{
headers: {
Authorization: `Bearer ${apiKey}`,
},
}
);
const status = await statusResponse.json();
console.log(
`Progress: ${status.percentage}% (${status.progress.completed}/${status.progress.total})`
);
if (status.status === "completed") {
console.log("Document is ready for use!");
return document;
}
if (status.status === "failed" && status.progress.pending === 0) {
// Retry failed jobs
const jobsResponse = await fetch(
`${BASE}/api/v1/embeddings/jobs?document_id=${document.id}&status=failed`,
{
headers: {
Authorization: `Bearer ${apiKey}`,
},
}
);
const { jobs } = await jobsResponse.json();
for (const job of jobs) {
await fetch(
`${BASE}/api/v1/embeddings/jobs/${job.id}/retry`,
{
method: "POST",
headers: {
Authorization: `Bearer ${apiKey}`,
},
}
);
}
console.log(`Retried ${jobs.length} failed jobs`);
}
// Wait 2 seconds before next poll
await new Promise((resolve) => setTimeout(resolve, 2000));
}
}

const content = Array.from({ length: 12 }, (_, i) =>
  `Section ${i}: the embedding pipeline turns every chunk into a vector. `.repeat(8)).join("\n\n");
const doc = await uploadDocumentWithTracking("Tracked document", content, KEY);
const final = await waitForEmbedding(doc.id, KEY, 200);
console.log(`FINAL ${final.status} ${final.progress.completed}/${final.progress.total}`);
