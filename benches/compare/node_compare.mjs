// Node libraries for the comparison (benches/compare/run.sh).
//
// Reads OUT/inputs.jsonl (written by rt-compare), runs the reply extractors on the same text body
// and mailparser on the raw .eml files, and writes OUT/node.json with every answer and the
// timings (process CPU time from process.cpuUsage(), median of ROUNDS rounds over the whole set).
//
// Usage: node node_compare.mjs CORPUS_DIR OUT_DIR [ROUNDS]

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import EmailReplyParser from "email-reply-parser";
import planer from "planer";
import { simpleParser } from "mailparser";

const here = path.dirname(fileURLToPath(import.meta.url));
const version = (name) =>
  JSON.parse(readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8")).version;

const [corpus, outDir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function medianRound(fn) {
  await fn(); // warm-up
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = cpuSeconds();
    await fn();
    times.push(cpuSeconds() - t0);
  }
  return median(times);
}

const cases = readFileSync(path.join(outDir, "inputs.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));
const scored = cases.filter((c) => c.expected_reply !== null && c.expected_reply !== undefined);

const erp = new EmailReplyParser();
const extractors = [
  ["email-reply-parser (npm)", "email-reply-parser", (t) => erp.parseReply(t)],
  ["planer", "planer", (t) => planer.extractFrom(t, "text/plain")],
];

const report = { node: process.version, extract: {}, mime: {} };

for (const [name, pkg, fn] of extractors) {
  const answers = {};
  let errors = 0;
  for (const c of scored) {
    try {
      answers[c.name] = fn(c.text);
    } catch (e) {
      answers[c.name] = null;
      errors++;
      console.error(`${name} failed on ${c.name}: ${e}`);
    }
  }
  const secs = await medianRound(() => {
    for (const c of scored) {
      try {
        fn(c.text);
      } catch {
        // counted above
      }
    }
  });
  report.extract[name] = {
    version: version(pkg),
    answers,
    errors,
    timing: { messages: scored.length, seconds: secs, rounds },
  };
  console.error(`${name}: ${(scored.length / secs).toFixed(0)} msgs/s`);
}

// planer on the HTML part when there is one (it needs a DOM: jsdom's), on the text body
// otherwise. Its HTML answer is rendered as text for scoring by `rt-compare html-to-text`.
{
  const name = "planer, HTML part when present";
  const { JSDOM } = await import("jsdom");
  const document = new JSDOM("").window.document;
  const one = (c) =>
    c.html ? planer.extractFrom(c.html, "text/html", document) : planer.extractFrom(c.text, "text/plain");
  const answers = {};
  const htmlAnswers = {};
  let errors = 0;
  for (const c of scored) {
    try {
      (c.html ? htmlAnswers : answers)[c.name] = one(c);
    } catch (e) {
      errors++;
      console.error(`${name} failed on ${c.name}: ${e}`);
    }
  }
  const secs = await medianRound(() => {
    for (const c of scored) {
      try {
        one(c);
      } catch {
        // counted above
      }
    }
  });
  report.extract[name] = {
    version: version("planer"),
    input: "HTML part, else text body",
    answers,
    html_answers: htmlAnswers,
    errors,
    timing: { messages: scored.length, seconds: secs, rounds },
  };
  console.error(`${name}: ${(scored.length / secs).toFixed(0)} msgs/s`);
}

const raws = cases.map((c) => [c.name, readFileSync(path.join(corpus, `${c.name}.eml`))]);

// The options keep mailparser from linkifying the text and from rendering HTML for a message
// that has a text part, which the other parsers do not do either.
const mpOptions = { skipTextLinks: true, skipTextToHtml: true, skipImageLinks: true };

async function mailparserFields(raw) {
  const m = await simpleParser(raw, mpOptions);
  return {
    from: m.from?.value?.[0]?.address ?? null,
    subject: m.subject ?? null,
    text: m.text ?? null,
  };
}

const answers = {};
for (const [n, raw] of raws) {
  try {
    answers[n] = await mailparserFields(raw);
  } catch (e) {
    answers[n] = { error: String(e) };
  }
}
const secs = await medianRound(async () => {
  for (const [, raw] of raws) {
    try {
      await mailparserFields(raw);
    } catch {
      // recorded above
    }
  }
});
report.mime.mailparser = {
  version: version("mailparser"),
  answers,
  timing: { messages: raws.length, seconds: secs, rounds },
};
console.error(`mailparser: ${(raws.length / secs).toFixed(0)} msgs/s`);

writeFileSync(path.join(outDir, "node.json"), JSON.stringify(report));
