// npm run new-chapter -- "Vector-quantized VAEs" [--summary "…"] [--assumes "chapters 4–7"] [--minutes 20] [--root DIR]
//
// Makes src/chapters/NN-slug.md from templates/chapter.md and registers it in src/chapters.ts, after
// the last chapter: the sidebar, the index and every browser test that walks the config pick it up.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";

export interface NewChapter {
  number: number;
  path: string;
  file: string;
}

export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
}

export function scaffoldChapter(root: string, {title, summary, assumes, minutes}: {title: string; summary: string; assumes: string; minutes: number}): NewChapter {
  if (!title.trim()) throw new Error("give the chapter a title: npm run new-chapter -- \"My title\"");
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`--minutes must be a whole number of minutes, not ${minutes}`);
  const slug = slugify(title);
  if (!slug) throw new Error(`the title ${JSON.stringify(title)} has no letters or digits to make a URL from`);
  const registry = join(root, "src/chapters.ts");
  const source = readFileSync(registry, "utf8");
  const numbers = [...source.matchAll(/\{number: (\d+),/g)].map((m) => Number(m[1]));
  const number = Math.max(0, ...numbers) + 1;
  const name = `${String(number).padStart(2, "0")}-${slug}`;
  const path = `/chapters/${name}`;
  const file = join(root, "src/chapters", `${name}.md`);
  if (existsSync(file)) throw new Error(`${file} exists already`);
  if (source.includes(`path: "${path}"`)) throw new Error(`src/chapters.ts already lists ${path}`);
  if (source.includes(`title: ${JSON.stringify(title)},`)) throw new Error(`src/chapters.ts already has a chapter titled ${JSON.stringify(title)}`);
  const end = source.lastIndexOf("\n];");
  if (end < 0) throw new Error("src/chapters.ts: could not find the end of the CHAPTERS list (a line with `];`)");
  const quote = (s: string) => JSON.stringify(s);
  const entry = `,\n  {number: ${number}, title: ${quote(title)}, path: ${quote(path)}, ready: true,\n    summary: ${quote(summary)}}`;
  const page = readFileSync(join(root, "templates/chapter.md"), "utf8")
    .replaceAll("{{NUMBER}}", String(number))
    .replaceAll("{{TITLE}}", title)
    .replaceAll("{{MINUTES}}", String(minutes))
    .replaceAll("{{ASSUMES}}", assumes);
  writeFileSync(file, page);
  writeFileSync(registry, source.slice(0, end) + entry + source.slice(end));
  return {number, path, file};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      summary: {type: "string", default: "One honest sentence about what this chapter teaches."},
      assumes: {type: "string", default: "chapters 1–6"},
      minutes: {type: "string", default: "20"},
      root: {type: "string", default: join(import.meta.dirname, "..")}
    }
  });
  try {
    const made = scaffoldChapter(values.root!, {title: positionals.join(" "), summary: values.summary!, assumes: values.assumes!, minutes: Number(values.minutes)});
    console.log(`Made ${made.file}\nRegistered chapter ${made.number} at ${made.path} in src/chapters.ts.\nNext: write its prose, then \`npm run build && npm run screenshot -- ${made.path} --width 1280\`, and \`npm test\`.`);
  } catch (error) {
    console.error(`new-chapter: ${(error as Error).message}`);
    process.exit(1);
  }
}
