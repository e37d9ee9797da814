// Turso's official TypeScript client against the sandbox: every group method the issue names,
// plus databases.list. Usage: node check.mjs <sandbox-server binary> <npm prefix of the client>.
// Prints one line per check and "N passed, N failed"; exits 1 if any check failed.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [binary, prefix] = process.argv.slice(2);
const TOKEN = "sandbox-token";
const { createClient } = await import(
  pathToFileURL(join(prefix, "node_modules/@tursodatabase/api/dist/index.js")).href
);

// Start the server on a free port and wait for its startup line (with a deadline).
const server = spawn(binary, ["--addr", "127.0.0.1:0", "--token", TOKEN], {
  stdio: ["ignore", "pipe", "inherit"],
});
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no startup line within 30 s")), 30_000);
  createInterface({ input: server.stdout }).once("line", (line) => {
    clearTimeout(timer);
    const match = /^sandbox listening on (http:\/\/\S+)$/.exec(line);
    match ? resolve(match[1]) : reject(new Error(`unexpected startup line ${line}`));
  });
  server.once("exit", (code) => reject(new Error(`sandbox-server exited with ${code}`)));
});

const turso = createClient({ org: "acme", token: TOKEN, baseUrl: `${base}/v1/` });
const claims = async (jwt) => {
  const answer = await fetch(`${base}/__sandbox/verify-token`, {
    headers: { Authorization: `Bearer ${jwt}` },
  });
  return answer.json();
};
const assert = (ok, what) => {
  if (!ok) throw new Error(what);
};

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error?.message ?? error}`);
  }
}

await check("groups.list", async () => {
  const groups = await turso.groups.list();
  assert(groups.map((g) => g.name).join() === "default,eu-replicated,legacy,billing", JSON.stringify(groups));
});
await check("groups.create", async () => {
  const group = await turso.groups.create("ts-client", "lhr");
  assert(group.name === "ts-client" && group.primary === "lhr", JSON.stringify(group));
});
await check("groups.get", async () => {
  const group = await turso.groups.get("ts-client");
  assert(group.locations.join() === "lhr", JSON.stringify(group));
});
await check("groups.addLocation", async () => {
  const group = await turso.groups.addLocation("ts-client", "ams");
  assert(group.locations.join() === "lhr,ams", JSON.stringify(group));
});
await check("groups.removeLocation", async () => {
  const group = await turso.groups.removeLocation("ts-client", "ams");
  assert(group.locations.join() === "lhr", JSON.stringify(group));
});
let before;
await check("groups.createToken with expiration", async () => {
  const { jwt } = await turso.groups.createToken("ts-client", { expiration: "2w" });
  const verified = await claims(jwt);
  assert(verified.valid && verified.claims.exp > verified.claims.iat, JSON.stringify(verified));
  before = jwt;
});
await check("groups.createToken read-only", async () => {
  const { jwt } = await turso.groups.createToken("ts-client", { authorization: "read-only" });
  const verified = await claims(jwt);
  assert(verified.valid && verified.claims.a === "ro", JSON.stringify(verified));
});
await check("groups.createToken read_attach", async () => {
  const { jwt } = await turso.groups.createToken("ts-client", {
    permissions: { read_attach: { databases: ["db1", "db2", "db3"] } },
  });
  const verified = await claims(jwt);
  assert(verified.claims.p?.roa?.ns?.join() === "db1,db2,db3", JSON.stringify(verified));
});
await check("groups.rotateTokens", async () => {
  // The API documents this answer as 200 with no body; the client parses it as JSON anyway.
  let parseError = null;
  try {
    await turso.groups.rotateTokens("ts-client");
  } catch (error) {
    parseError = error;
  }
  const verified = await claims(before);
  assert(!verified.valid, `tokens not rotated: ${JSON.stringify(verified)}`);
  if (parseError) {
    throw new Error(`rotated, but the client failed on the empty 200 body: ${parseError.message}`);
  }
});
await check("databases.list", async () => {
  const databases = await turso.databases.list({ group: "eu-replicated" });
  assert(databases.map((d) => d.name).join() === "catalog,sessions", JSON.stringify(databases));
});
await check("groups.delete", async () => {
  const group = await turso.groups.delete("ts-client");
  assert(group.name === "ts-client", JSON.stringify(group));
});
await check("refusals carry the server's message", async () => {
  try {
    await turso.groups.get("nope");
  } catch (error) {
    assert(error.name === "TursoClientError" && error.status === 404, `${error}`);
    assert(error.message === "group not found", error.message);
    return;
  }
  throw new Error("no error");
});

server.kill();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
