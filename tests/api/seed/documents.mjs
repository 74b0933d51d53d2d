// The ChatIQ documents API driven from Node in the seed's own style (fetch,
// `Authorization: Bearer ${apiKey}`, the seed's request bodies); only the
// base URL and the key differ (QUIRE_BASE, QUIRE_KEY).
const BASE = process.env.QUIRE_BASE;
const apiKey = process.env.QUIRE_KEY;

// Create Document (the seed's "Complete Example", step 1)
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
console.log(`CREATE ${createResponse.status} ${document.id} ${document.title} ${document.tags.join(",")} ${document.is_global} ${document.canonical_url}`);

// Get Document
const getResponse = await fetch(`${BASE}/api/v1/documents/${document.id}`, {
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const got = (await getResponse.json()).document;
console.log(`GET ${getResponse.status} ${got.id} ${got.content}`);

// List Documents
const listResponse = await fetch(`${BASE}/api/v1/documents`, {
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const { documents } = await listResponse.json();
console.log(`LIST ${listResponse.status} ${documents.length} ${documents.map((d) => d.id).includes(document.id)}`);

// Update Document
const updateResponse = await fetch(`${BASE}/api/v1/documents/${document.id}`, {
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
const updated = (await updateResponse.json()).document;
console.log(`UPDATE ${updateResponse.status} ${updated.title} ${updated.content} ${updated.tags.join(",")}`);

// Delete Document
const deleteResponse = await fetch(`${BASE}/api/v1/documents/${document.id}`, {
method: "DELETE",
headers: {
Authorization: `Bearer ${apiKey}`,
},
});
const deleted = await deleteResponse.json();
console.log(`DELETE ${deleteResponse.status} ${deleted.success}`);

const again = await fetch(`${BASE}/api/v1/documents/${document.id}`, {
headers: { Authorization: `Bearer ${apiKey}` },
});
console.log(`GONE ${again.status}`);
