// Read a JSON-LD file, turn it into RDF with jsonld.js and print N-Quads on stdout.
// The document loader throws: a document that needs anything from the network fails here.
// Usage: node tests/jsonld_to_nquads.js FILE
"use strict";

const fs = require("node:fs");
const jsonld = require("jsonld");

function refuseEveryUrl(url) {
  throw new Error(`remote JSON-LD document refused (no fetch): ${url}`);
}

async function main(path) {
  const document = JSON.parse(fs.readFileSync(path, "utf8"));
  const nquads = await jsonld.toRDF(document, {
    format: "application/n-quads",
    documentLoader: refuseEveryUrl,
    safe: true,
  });
  process.stdout.write(nquads);
}

main(process.argv[2]).catch((error) => {
  console.error(`${process.argv[2]}: ${error.stack || error}`);
  if (error.details) console.error(JSON.stringify(error.details, null, 1));
  process.exit(1);
});
