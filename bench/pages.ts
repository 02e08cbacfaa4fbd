// npm run bench:pages [-- /chapters/02-autoencoders …]: page weight and time to the first figure of
// each page (every page of the site by default), in headless Chromium on the built dist/. The last
// line is a summary: the worst first figure and the most bytes before one, gzip-compressed.
import {formatWeights, measurePages} from "./pageWeight.ts";
import {DIST, openSite, sitePages} from "../tests/browser/site.ts";

const paths = process.argv.slice(2).filter((a) => a.startsWith("/"));
const site = await openSite();
try {
  const weights = await measurePages(site, paths.length ? paths : sitePages(), {dist: DIST});
  for (const line of formatWeights(weights)) console.log(line);
  const live = weights.filter((w) => w.firstFigureSeconds !== null);
  const worstTime = live.reduce((a, b) => ((b.firstFigureSeconds ?? 0) > (a.firstFigureSeconds ?? 0) ? b : a), live[0]);
  const worstBytes = weights.reduce((a, b) => (b.gzipBytesBeforeFirstFigure > a.gzipBytesBeforeFirstFigure ? b : a), weights[0]);
  console.log(
    `SUMMARY pages=${weights.length} max_first_figure_s=${worstTime?.firstFigureSeconds?.toFixed(1) ?? "none"} (${worstTime?.path}) ` +
      `max_gzip_mb_before_first_figure=${(worstBytes.gzipBytesBeforeFirstFigure / 1e6).toFixed(2)} (${worstBytes.path}) raw_mb=${(worstBytes.bytesBeforeFirstFigure / 1e6).toFixed(2)}`
  );
} finally {
  await site.close();
}
