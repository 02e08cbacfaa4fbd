// npm run bench:pages [-- /chapters/02-autoencoders …]: page weight and time to the first figure of
// each page (every page of the site by default), in headless Chromium on the built dist/. The last
// line is a summary: the worst first figure and the most bytes before one, gzip-compressed.
import {formatWeights, measurePages, weightSummary} from "./pageWeight.ts";
import {DIST, openSite, sitePages} from "../tests/browser/site.ts";

const paths = process.argv.slice(2).filter((a) => a.startsWith("/"));
const site = await openSite();
try {
  const weights = await measurePages(site, paths.length ? paths : sitePages(), {dist: DIST});
  for (const line of formatWeights(weights)) console.log(line);
  console.log(`SUMMARY ${weightSummary(weights)}`);
} finally {
  await site.close();
}
