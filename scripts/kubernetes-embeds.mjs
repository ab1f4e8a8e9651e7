// Writes the two files that pulumi-resource-kubernetes embeds and that upstream generates at release
// time (its cmd/pulumi-resource-kubernetes/generate.go): the schema with its version set, and the
// terraform mapping, both as compact JSON. Usage: node kubernetes-embeds.mjs <module cmd dir> <out dir> <version>
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const [from, to, version] = process.argv.slice(2);
if (!from || !to || !version) {
  console.error("usage: node kubernetes-embeds.mjs <module cmd dir> <out dir> <version>");
  process.exit(2);
}
const schema = JSON.parse(readFileSync(path.join(from, "schema.json"), "utf8"));
schema.version = version;
writeFileSync(path.join(to, "schema-embed.json"), JSON.stringify(schema));
const mapping = JSON.parse(readFileSync(path.join(from, "terraform-mapping.json"), "utf8"));
writeFileSync(path.join(to, "terraform-mapping-embed.json"), JSON.stringify(mapping));
