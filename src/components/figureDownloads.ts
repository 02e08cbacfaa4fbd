// Every live figure can be taken to a slide as the reader has set it: charts as SVG, canvases as PNG,
// each with a caption that says what it shows, the seed and the page's settings (its URL's query).
// The chapter tools turn this on for the whole page; figures that cells redraw get their button again.

const DONE = "figureDownload";
const CHARTS = 'svg[class^="plot-"], figure[class^="plot-"], svg.prerequisite-map';
const CANVASES = "canvas[role=img]";

/** What a downloaded figure says under it: its caption or label, the seed and the settings, where it came from. */
export function figureCaption(element: Element, {url = location.href, title = document.title} = {}): string[] {
  const figure = element.closest("figure:not([class^='plot-'])");
  const caption = figure?.querySelector("figcaption")?.textContent?.replace(/\s+/g, " ").trim();
  const label = element.getAttribute("aria-label") ?? element.querySelector("[aria-label]")?.getAttribute("aria-label") ?? "";
  const params = new URL(url).searchParams;
  const seed = params.get("seed") ?? "1";
  const settings = [...params.entries()].filter(([key]) => key !== "seed").map(([key, value]) => `${key}=${value}`);
  return [
    caption || label,
    `Seed ${seed}${settings.length ? `; settings: ${settings.join(", ")}` : "; default settings"}.`,
    `${title.replace(/ \| VAE Explorables$/, "")}, VAE Explorables: ${url}`
  ].filter(Boolean);
}

function download(blob: Blob, name: string) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function fileName(kind: string, index: number, extension: string): string {
  const page = location.pathname.split("/").filter(Boolean).pop() ?? "index";
  const seed = new URL(location.href).searchParams.get("seed") ?? "1";
  return `${page}-${kind}-${index + 1}-seed${seed}.${extension}`;
}

/** A chart as a standalone SVG: the theme's colours made explicit, the legend's swatches and the caption drawn below. */
export function chartSvg(chart: Element, caption: string[]): string {
  const svg = (chart instanceof SVGSVGElement ? chart : [...chart.querySelectorAll("svg")].filter((s) => !s.closest("[class$='-swatch']")).at(-1)) as SVGSVGElement | undefined;
  if (!svg) throw new Error("no chart to save");
  const style = getComputedStyle(svg);
  const color = style.color || "black";
  const background = getComputedStyle(document.body).backgroundColor || "white";
  const width = svg.viewBox.baseVal?.width || svg.width.baseVal.value || svg.getBoundingClientRect().width;
  const height = svg.viewBox.baseVal?.height || svg.height.baseVal.value || svg.getBoundingClientRect().height;
  const swatches = chart === svg ? [] : [...chart.querySelectorAll("[class$='-swatch']")].map((s) => ({
    label: s.textContent?.trim() ?? "",
    // Plot colours a swatch on its svg element (fill, or stroke for a line), not on the shape inside.
    fill: [s.querySelector("svg"), s.querySelector("svg [fill]")].map((e) => e?.getAttribute("fill") ?? e?.getAttribute("stroke")).find((c) => c && c !== "none") ?? color
  }));
  const lineHeight = 16;
  const extra = (swatches.length ? lineHeight + 8 : 0) + caption.length * lineHeight + 12;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height + extra));
  clone.setAttribute("viewBox", `0 0 ${width} ${height + extra}`);
  clone.setAttribute("style", `color: ${color}; background: ${background}; font: 10px sans-serif`);
  const ns = "http://www.w3.org/2000/svg";
  const text = (x: number, y: number, content: string, size = 11) => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", String(x));
    t.setAttribute("y", String(y));
    t.setAttribute("fill", color);
    t.setAttribute("font-size", String(size));
    t.setAttribute("text-anchor", "start");
    t.textContent = content;
    return t;
  };
  const backdrop = document.createElementNS(ns, "rect");
  backdrop.setAttribute("width", "100%");
  backdrop.setAttribute("height", "100%");
  backdrop.setAttribute("fill", background);
  clone.insertBefore(backdrop, clone.firstChild);
  let y = height + 8;
  if (swatches.length) {
    let x = 4;
    y += lineHeight - 4;
    for (const {label, fill} of swatches) {
      const box = document.createElementNS(ns, "rect");
      Object.entries({x, y: y - 9, width: 10, height: 10, fill}).forEach(([k, v]) => box.setAttribute(k, String(v)));
      clone.append(box, text(x + 14, y, label));
      x += 24 + 6.5 * label.length;
    }
    y += 8;
  }
  for (const line of caption) clone.append(text(4, (y += lineHeight) - 4, line));
  // The stylesheet Plot puts in its SVG may name the page's CSS variables, which a file does not have.
  return new XMLSerializer().serializeToString(clone).replace(/var\(--[\w-]+(?:,\s*([^)]+))?\)/g, (_, fallback) => fallback ?? color);
}

/** A canvas enlarged without smoothing (digits stay crisp), on the page's background, with the caption below. */
export async function canvasPng(canvas: HTMLCanvasElement, caption: string[]): Promise<Blob> {
  const scale = Math.max(1, Math.min(8, Math.floor(800 / Math.max(1, canvas.width))));
  const lineHeight = 18;
  const out = document.createElement("canvas");
  out.width = Math.max(canvas.width * scale, 480);
  out.height = canvas.height * scale + caption.length * lineHeight + 16;
  const context = out.getContext("2d");
  if (!context) throw new Error("this browser cannot draw a canvas");
  context.fillStyle = "white";
  context.fillRect(0, 0, out.width, out.height);
  context.imageSmoothingEnabled = false;
  context.drawImage(canvas, 0, 0, canvas.width * scale, canvas.height * scale);
  context.fillStyle = "black";
  context.font = "13px sans-serif";
  caption.forEach((line, i) => context.fillText(line, 4, canvas.height * scale + 8 + (i + 1) * lineHeight - 4, out.width - 8));
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"));
}

/** Each button bar and the figure it saves: a bar whose figure a cell has replaced is removed. */
const bars = new Map<HTMLElement, Element>();

function addButton(element: Element, index: number, kind: "chart" | "canvas") {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "figure-download";
  button.textContent = kind === "chart" ? "Save SVG" : "Save PNG";
  button.title = "Download this figure as you have set it, with its caption, seed and settings";
  button.addEventListener("click", async () => {
    try {
      const caption = figureCaption(element);
      if (kind === "chart") download(new Blob([chartSvg(element, caption)], {type: "image/svg+xml"}), fileName("chart", index, "svg"));
      else download(await canvasPng(element as HTMLCanvasElement, caption), fileName("figure", index, "png"));
    } catch (error) {
      button.textContent = `Could not save: ${(error as Error).message}`;
    }
  });
  const holder = document.createElement("div");
  holder.className = "figure-download-bar";
  holder.append(button);
  element.after(holder);
  bars.set(holder, element);
}

/** Adds a download button under every chart and canvas of the page, now and whenever cells redraw. */
export function enableFigureDownloads(root: Element | null = document.querySelector("#observablehq-main")): void {
  if (!root || (root as HTMLElement).dataset[DONE]) return;
  (root as HTMLElement).dataset[DONE] = "on";
  let counter = 0;
  const scan = () => {
    for (const [bar, element] of bars) {
      if (!element.isConnected) {
        bar.remove();
        bars.delete(bar);
      }
    }
    for (const chart of root.querySelectorAll(CHARTS)) {
      // A Plot figure holds its own svg; give the button to the figure.
      if (chart.matches("svg") && chart.parentElement?.closest('figure[class^="plot-"]')) continue;
      if ((chart as HTMLElement).dataset[DONE]) continue;
      (chart as HTMLElement).dataset[DONE] = "1";
      addButton(chart, counter++, "chart");
    }
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>(CANVASES)) {
      if (canvas.dataset[DONE] || canvas.closest(".drawing-pad")) continue;
      canvas.dataset[DONE] = "1";
      addButton(canvas, counter++, "canvas");
    }
  };
  scan();
  new MutationObserver(scan).observe(root, {childList: true, subtree: true});
}
